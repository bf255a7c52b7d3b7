package org.ssekit.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The chat demo on Spring Boot: {@link ChatController} serves the rooms, the starter the hub, its
 * meters and its health. Started with {@code java -jar
 * samples-spring-boot/target/ssekit-samples-spring-boot.jar}.
 */
@SpringBootApplication
public class ChatApplication {
  /** Starts the application; Spring Boot's arguments ({@code --server.port=0}, ...) apply. */
  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }
}
