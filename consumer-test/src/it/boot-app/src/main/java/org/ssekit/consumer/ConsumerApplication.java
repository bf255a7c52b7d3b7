package org.ssekit.consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.ssekit.spring.SseStream;

/** The smallest application on the starter: one stream of the topic {@code news}. */
@SpringBootApplication
public class ConsumerApplication {
  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(ConsumerApplication.class, args);
  }

  /** Serves {@code GET /news} as the event stream of the topic {@code news}. */
  @RestController
  static class NewsEvents {
    @GetMapping("/news")
    SseStream news() {
      return SseStream.of("news");
    }
  }
}
