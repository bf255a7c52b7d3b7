package org.ssekit.samples.boot;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.ssekit.Authorizer;
import org.ssekit.SseHub;
import org.ssekit.samples.ChatAuthorizer;
import org.ssekit.samples.ChatRooms;
import org.ssekit.samples.DirectMessages;

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
   * The chat's hub. The application's own, because presence needs {@link
   * SseHub.Builder#presenceTopics}, which no {@code ssekit.*} property sets: so the starter's
   * properties do not apply to it (the starter still serves its streams, binds its meters, reports
   * its health and closes it first on shutdown).
   */
  @Bean
  SseHub sseHub(@Value("${chat.keep-alive:15s}") Duration keepAlive) {
    return SseHub.builder()
        .name("chat")
        .keepAlive(keepAlive)
        .presenceTopics(ChatRooms.PRESENCE_TOPICS)
        .build();
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
