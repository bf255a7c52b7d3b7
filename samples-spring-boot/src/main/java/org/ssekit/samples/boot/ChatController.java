package org.ssekit.samples.boot;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.spring.SseStream;

/**
 * The chat's HTTP API: {@code GET /chat/events?room=R[&room=S...]} is one stream of one or several
 * rooms, {@code POST /chat/messages?room=R} publishes a message to a room. Each room is the topic
 * {@code rooms/<room>}; every message is an event named after its room, so a stream of several
 * rooms tells them apart, and one {@code Last-Event-ID} resumes all of them.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe; the hub holds the streams.
 */
@RestController
public class ChatController {
  /** Rooms one stream may follow: a bound on what one request costs the hub. */
  static final int MAX_ROOMS_PER_STREAM = 16;

  /** Longest message, in UTF-8 bytes. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024;

  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final SseHub hub;

  /** Serves the rooms of {@code hub}. */
  public ChatController(SseHub hub) {
    this.hub = hub;
  }

  /**
   * Returns the stream of the rooms named by the {@code room} parameters (a room named twice counts
   * once).
   *
   * @throws IllegalArgumentException (answered {@code 400}) if no room is named, a room name is
   *     invalid, or more than {@value #MAX_ROOMS_PER_STREAM} rooms are named
   */
  @GetMapping("/chat/events")
  public SseStream events(@RequestParam(name = "room", required = false) List<String> rooms) {
    if (rooms == null || rooms.isEmpty()) {
      throw new IllegalArgumentException("room is missing: name one or more with ?room=R");
    }
    Set<String> topics = new LinkedHashSet<>();
    for (String room : rooms) {
      topics.add(topic(room));
    }
    if (topics.size() > MAX_ROOMS_PER_STREAM) {
      throw new IllegalArgumentException(
          "rooms must be at most " + MAX_ROOMS_PER_STREAM + " per stream: " + topics.size());
    }
    return SseStream.of(Selection.of(topics));
  }

  /**
   * Publishes {@code text} to {@code room}; answers {@code 202} with the event's id as {@code
   * text/plain} once the hub's log has taken it.
   *
   * @throws IllegalArgumentException (answered {@code 400}) if the room name is invalid or the
   *     message is empty or over {@value #MAX_MESSAGE_BYTES} bytes
   */
  @PostMapping(path = "/chat/messages", consumes = MediaType.TEXT_PLAIN_VALUE)
  public CompletionStage<ResponseEntity<String>> post(
      @RequestParam("room") String room, @RequestBody(required = false) String body) {
    String topic = topic(room);
    // Spring hands an empty body over as null.
    String text = body == null ? "" : body;
    if (text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "message must be 1-" + MAX_MESSAGE_BYTES + " bytes: " + text.length() + " chars");
    }
    ServerSentEvent event = ServerSentEvent.builder().event(room).data(text).build();
    return hub.publish(topic, event)
        .thenApply(
            id ->
                ResponseEntity.status(HttpStatus.ACCEPTED)
                    .contentType(MediaType.TEXT_PLAIN)
                    .body(id));
  }

  /** Answers bad input with {@code 400} and the reason as plain text. */
  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<String> badRequest(IllegalArgumentException e) {
    return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.getMessage());
  }

  private static String topic(String room) {
    if (!ROOM.matcher(room).matches()) {
      throw new IllegalArgumentException(
          "room must be 1-64 characters of [A-Za-z0-9_-]: " + quoted(room));
    }
    return "rooms/" + room;
  }

  /** Quotes a bad value for a message, escaping control characters and cutting it short. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value
        .codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append(value.length() > 80 ? "...\"" : "\"").toString();
  }
}
