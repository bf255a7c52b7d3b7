package org.ssekit.spring.scenarios;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.ssekit.Selection;
import org.ssekit.spring.SseStream;

/** The application under test: stream endpoints as an application writes them. */
@SpringBootApplication
public class ScenarioApplication {
  /** Stream endpoints; a {@code @RestController}, whose JSON handler must not claim streams. */
  @RestController
  static class Streams {
    @GetMapping("/news")
    SseStream news() {
      return SseStream.of("news");
    }

    @GetMapping("/rooms/{room}")
    SseStream room(@PathVariable("room") String room) {
      return SseStream.of("rooms/" + room);
    }

    @GetMapping("/single-selection")
    SseStream singleSelection() {
      return SseStream.of(Selection.of("selected"));
    }

    @GetMapping("/selection")
    SseStream selection() {
      return SseStream.of(Selection.of("orders/1", "rooms/*"));
    }

    @GetMapping("/users/{user}/inbox")
    SseStream inbox(@PathVariable("user") String user) {
      return SseStream.of("users/" + user + "/inbox");
    }

    @GetMapping("/ping")
    Map<String, String> ping() {
      return Map.of("pong", "yes");
    }
  }
}
