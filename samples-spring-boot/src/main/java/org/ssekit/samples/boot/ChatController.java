package org.ssekit.samples.boot;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.ssekit.Selection;
import org.ssekit.samples.ChatAuthorizer;
import org.ssekit.samples.ChatInput;
import org.ssekit.samples.ChatRequestException;
import org.ssekit.samples.ChatRooms;
import org.ssekit.samples.ChatSessions;
import org.ssekit.samples.DirectMessages;
import org.ssekit.samples.PlainText;
import org.ssekit.spring.SseStream;

/**
 * The samples chat's HTTP API on Spring MVC, at {@code /chat/...} and (for the page's "JAX-RS"
 * choice) the same at {@code /api/chat/...}: streams of rooms with the user's inbox and presence
 * events, posts, direct messages, members, closing a room. The rules and answers are the samples'
 * own ({@link ChatInput}, {@link ChatRooms}, {@link DirectMessages}); the user is Spring Security's
 * principal ({@link LoginController}), and the starter's {@code ServletStreams} checks every stream
 * with the {@linkplain ChatAuthorizer#topicRules authorizer} before any byte.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
@RestController
class ChatController {
  private static final String LOG_IN_FIRST = "log in first: POST /login";

  private final ChatRooms rooms;
  private final DirectMessages messages;

  ChatController(ChatRooms rooms, DirectMessages messages) {
    this.rooms = Objects.requireNonNull(rooms, "rooms");
    this.messages = Objects.requireNonNull(messages, "messages");
  }

  /**
   * {@code GET /chat/events?room=R[&room=S...][&inbox=1][&presence=1]}: one stream of 1-16 rooms,
   * with the user's direct messages ({@code inbox=1}, {@code 401} without a login) and the rooms'
   * presence events ({@code presence=1}); what each carries is {@link ChatRooms#selection}'s.
   */
  @GetMapping({"/chat/events", "/api/chat/events"})
  SseStream events(HttpServletRequest request, Principal user) {
    boolean inbox = ChatInput.inbox(request.getParameter("inbox"));
    if (inbox && user == null) {
      throw ChatRequestException.unauthenticated(LOG_IN_FIRST);
    }
    String[] values = request.getParameterValues("room");
    List<String> names = ChatInput.rooms(values == null ? null : Arrays.asList(values));
    boolean presence = ChatInput.presence(request.getParameter("presence"));
    SseStream stream =
        SseStream.of(ChatRooms.selection(names, inbox ? user.getName() : null, presence));
    return presence ? stream.withListener(ChatRooms.PRESENCE_LISTENER) : stream;
  }

  /** {@code GET /chat/inbox}: the logged-in user's direct messages; {@code 401} without a login. */
  @GetMapping({"/chat/inbox", "/api/chat/inbox"})
  SseStream inbox(Principal user) {
    if (user == null) {
      throw ChatRequestException.unauthenticated(LOG_IN_FIRST);
    }
    return SseStream.of(Selection.topic(ChatAuthorizer.inboxTopic(user.getName())));
  }

  /**
   * {@code POST /chat/messages?room=R}: publishes the {@code text/plain} body to the room; {@code
   * 202} with the event's id, and its id on streams of several rooms in {@value
   * ChatRooms#MULTI_ROOM_ID_HEADER}.
   */
  @PostMapping({"/chat/messages", "/api/chat/messages"})
  void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String room = ChatInput.room(request.getParameter("room"));
    ChatRooms.Published published = rooms.publishAndWait(room, message(request));
    response.setHeader(ChatRooms.MULTI_ROOM_ID_HEADER, published.multiRoomId());
    PlainText.answer(response, HttpServletResponse.SC_ACCEPTED, published.id());
  }

  /**
   * {@code POST /chat/dm?to=NAME}: sends the body from the logged-in user to {@code NAME}'s inbox;
   * {@code 202} with the event's id; {@code 401} without a login.
   */
  @PostMapping({"/chat/dm", "/api/chat/dm"})
  void dm(HttpServletRequest request, HttpServletResponse response, Principal user)
      throws IOException {
    if (user == null) {
      throw ChatRequestException.unauthenticated(LOG_IN_FIRST);
    }
    String to = ChatSessions.name(request.getParameter("to"), "query parameter: to");
    String id = messages.sendAndWait(user.getName(), to, message(request));
    PlainText.answer(response, HttpServletResponse.SC_ACCEPTED, id);
  }

  /** {@code GET /chat/rooms/R/members}: who is in the room now, a sorted JSON array of names. */
  @GetMapping({"/chat/rooms/{room}/members", "/api/chat/rooms/{room}/members"})
  ResponseEntity<String> members(@PathVariable("room") String room) {
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .header("Cache-Control", "no-store")
        .body(ChatRooms.json(rooms.members(ChatInput.room(room))));
  }

  /** {@code DELETE /chat/rooms/R}: closes the room (both of its topics); {@code 204}. */
  @DeleteMapping("/chat/rooms/{room}")
  ResponseEntity<Void> close(@PathVariable("room") String room) {
    rooms.close(ChatInput.room(room));
    return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
  }

  /**
   * Answers a refused request as the samples do: its status and plain-text reason, {@code
   * WWW-Authenticate} for a {@code 401}, {@code Retry-After} for a {@code 503}, the rest of the
   * body read first so that the connection carries the next request.
   */
  @ExceptionHandler(ChatRequestException.class)
  void refused(
      ChatRequestException refused, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    PlainText.answer(request, response, refused);
  }

  private static String message(HttpServletRequest request) throws IOException {
    return ChatInput.message(
        request.getContentType(), request.getContentLengthLong(), request.getInputStream());
  }
}
