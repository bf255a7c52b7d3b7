package org.ssekit.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.ssekit.Authorizer;
import org.ssekit.SseHub;
import org.ssekit.samples.ChatAuthorizer;
import org.ssekit.samples.ChatRooms;
import org.ssekit.samples.DirectMessages;
import org.ssekit.spring.SseHubCustomizer;

/**
 * The samples chat demo on Spring Boot: the same rooms, direct messages, presence and page (classes
 * and page of the samples module, not copies), with logins through Spring Security ({@link
 * ChatSecurity}) and ssekit's meters on {@code /actuator/prometheus}. Started with {@code java -jar
 * samples-spring-boot/target/ssekit-samples-spring-boot.jar}.
 *
 * <p>No user store: a login is a name ({@link LoginController}), so Boot's generated default user
 * is left out.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class ChatApplication {
  /** Starts the application; Spring Boot's arguments ({@code --server.port=0}, ...) apply. */
  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }

  /**
   * Presence in the rooms, which no {@code ssekit.*} property sets: the starter builds the hub from
   * {@code application.properties} ({@code ssekit.name}, {@code ssekit.keep-alive}, and {@code
   * ssekit.redis.uri} for several nodes), then applies this.
   */
  @Bean
  SseHubCustomizer chatPresence() {
    return hub -> hub.presenceTopics(ChatRooms.PRESENCE_TOPICS);
  }

  @Bean
  ChatRooms chatRooms(SseHub hub) {
    return new ChatRooms(hub);
  }

  @Bean
  DirectMessages directMessages(ChatRooms rooms) {
    return new DirectMessages(rooms);
  }

  /**
   * Who reads which topic: the samples' rule (rooms for anyone, {@code users/{principal}/inbox} for
   * its owner), with the principal Spring Security put on the request. The starter's {@code
   * ServletStreams} applies it to every stream, on connect and on every reconnect.
   */
  @Bean
  Authorizer chatAuthorizer() {
    return ChatAuthorizer.topicRules();
  }

  /** Marks the rooms as shutting down before the hub closes, so that late posts get 503. */
  @Bean
  RoomsShutdown roomsShutdown(ChatRooms rooms) {
    return new RoomsShutdown(rooms);
  }
}
