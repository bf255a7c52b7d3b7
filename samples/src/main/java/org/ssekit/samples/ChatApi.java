package org.ssekit.samples;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.ssekit.Selection;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopics;

/**
 * The chat through JAX-RS (Jersey, with the sse-jaxrs adapter), mounted at {@code /api}: the same
 * rooms, the same hub and the same answers as the servlet endpoints.
 *
 * <ul>
 *   <li>{@code GET /api/chat/events?room=R[&room=S...]}: one stream of 1-16 rooms. The method
 *       builds the stream's selection ({@link ChatRooms#selection}: the room's topic for one room,
 *       the rooms' multi-room topics for several) and hands it the sink ({@link
 *       SseTopics#subscribe}). An {@code @SseTopic} could not express "one topic for one room,
 *       other topics for several", so the selection is built here.
 *   <li>{@code POST /api/chat/messages?room=R}: publishes the {@code text/plain} body through
 *       {@link ChatRooms#publish} (one home for the two topics of a room) and answers {@code 202}
 *       with the id the room's log assigned, as the servlet does.
 *   <li>{@code GET /api/chat/events?room=R&presence=1} ({@link SseTopics#subscribeWithPresence})
 *       and {@code GET /api/chat/rooms/R/members}: who is in a room, as the servlets answer it.
 *   <li>{@code GET /api/chat/events?room=R&inbox=1}, {@code GET /api/chat/inbox}, {@code POST
 *       /api/chat/dm?to=NAME}, and {@code POST /api/login}, {@code POST /api/logout} ({@link
 *       Sessions}): the identity endpoints, with the servlets' answers. The streams are authorized
 *       by the {@link ChatAuthorizer} through the {@link SseHubFeature}, which also answers their
 *       CORS; {@link CorsHeaders} and {@link PostPreflights} answer it for the rest.
 * </ul>
 *
 * <p><b>Thread safety:</b> thread-safe; one instance serves every request.
 */
@Path("chat")
@Singleton
public final class ChatApi {
  /** The application property that holds the {@link ChatContext}. */
  private static final String CHAT_PROPERTY = ChatContext.class.getName();

  /**
   * Below the feature's own preflight filter (100), so that posts' preflights are answered here.
   */
  private static final int POST_PREFLIGHT_PRIORITY = 50;

  private final ChatContext chat;
  private final ChatRooms rooms;
  private final SseTopics topics;

  /**
   * Created once by Jersey: finds the topics of the application's {@link SseHubFeature}, and the
   * rooms.
   *
   * @throws IllegalStateException if the application has no {@link SseHubFeature}
   */
  public ChatApi(@Context Configuration configuration) {
    this.topics = SseTopics.from(configuration);
    this.chat = (ChatContext) configuration.getProperty(CHAT_PROPERTY);
    this.rooms = chat.rooms();
  }

  /** Returns the Jersey servlet of the API, serving the rooms of {@code chat}'s hub. */
  static HttpServlet servlet(ChatContext chat) {
    SseHubFeature.Builder feature =
        SseHubFeature.builder(chat.rooms().hub()).authorizer(new ChatAuthorizer(chat.sessions()));
    chat.cors().streams().ifPresent(feature::cors);
    ResourceConfig application =
        new ResourceConfig()
            .register(feature.build())
            .register(ChatApi.class)
            .register(Sessions.class)
            .register(Refusals.class)
            .register(new CorsHeaders(chat.cors()))
            .register(new PostPreflights(chat.cors()), POST_PREFLIGHT_PRIORITY)
            .property(CHAT_PROPERTY, chat)
            // No WADL: it needs JAXB, which the demo leaves out.
            .property(ServerProperties.WADL_FEATURE_DISABLE, true);
    return new ServletContainer(application);
  }

  /**
   * Streams {@code rooms}: replay after the client's {@code Last-Event-ID}, then live events. A
   * stream whose rooms are all closed answers {@code 204}.
   */
  @GET
  @Path("events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(
      @QueryParam("room") List<String> rooms,
      @QueryParam("inbox") String inbox,
      @QueryParam("presence") String presence,
      @CookieParam(ChatSessions.COOKIE) String cookie,
      @Context SseEventSink sink) {
    // Checked here for a room stream too, so that an unreachable Redis is a retry, not a 403.
    Optional<ChatSessions.Session> session = streamSession(cookie);
    String user = ChatInput.inbox(inbox) ? user(session) : null;
    boolean withPresence = ChatInput.presence(presence);
    Selection selection = ChatRooms.selection(ChatInput.rooms(rooms), user, withPresence);
    if (withPresence) {
      topics.subscribeWithPresence(sink, selection);
    } else {
      topics.subscribe(sink, selection);
    }
  }

  /**
   * Answers who is in {@code room} now ({@link ChatRooms#members}) as a JSON array of names,
   * sorted; {@code 400} for a bad room name.
   */
  @GET
  @Path("rooms/{room}/members")
  @Produces(MediaType.APPLICATION_JSON)
  public Response members(@PathParam("room") String room) {
    return Response.ok(ChatRooms.json(rooms.members(ChatInput.room(room))))
        .header("Cache-Control", "no-store")
        .build();
  }

  /**
   * Streams the logged-in user's direct messages; {@code 401} without a valid session. The
   * authorizer decides again on the stream's selection, from the same cookie.
   */
  @GET
  @Path("inbox")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void inbox(@CookieParam(ChatSessions.COOKIE) String cookie, @Context SseEventSink sink) {
    String user = user(streamSession(cookie));
    topics.subscribe(sink, Selection.topic(ChatAuthorizer.inboxTopic(user)));
  }

  /**
   * Sends the body from the logged-in user to {@code to}; answers {@code 202} with the event id,
   * {@code 401} without a valid session.
   */
  @POST
  @Path("dm")
  public CompletionStage<Response> dm(
      @QueryParam("to") String to,
      @CookieParam(ChatSessions.COOKIE) String cookie,
      @Context HttpHeaders headers,
      InputStream body)
      throws IOException {
    String from;
    String validTo;
    String text;
    try {
      from = user(cookie);
      validTo = ChatSessions.name(to, "query parameter: to");
      text =
          ChatInput.message(
              headers.getHeaderString(HttpHeaders.CONTENT_TYPE), headers.getLength(), body);
    } catch (ChatRequestException refused) {
      throw drained(body, refused);
    }
    return chat.messages()
        .send(from, validTo, text)
        .handle(
            (id, failure) ->
                failure == null
                    ? Response.status(Response.Status.ACCEPTED)
                        .type("text/plain;charset=UTF-8")
                        .header("Cache-Control", "no-store")
                        .entity(id + "\n")
                        .build()
                    : Refusals.answer(chat.messages().refusal(failure)));
  }

  /**
   * Returns {@code refused} after reading and dropping the rest of the request's body, as the
   * servlets do ({@link PlainText#answer(jakarta.servlet.http.HttpServletRequest,
   * jakarta.servlet.http.HttpServletResponse, ChatRequestException)}): a container that answers
   * before the body was read may close the connection afterwards without saying so, and a client
   * that reused it for its next request sees that request fail. A body too large to drain is
   * answered with {@code Connection: close}.
   */
  static ChatRequestException drained(InputStream body, ChatRequestException refused) {
    return ChatInput.drain(body) ? refused : refused.closingConnection();
  }

  /** Returns the name of the session cookie's user. */
  private String user(String cookie) {
    return user(chat.sessions().verify(cookie));
  }

  /**
   * Returns the session of a stream request's cookie; one that cannot be checked now (Redis
   * unreachable) answers the stream with a {@link RetryStream}, as a {@code 503} would close a
   * browser's {@code EventSource} for good.
   */
  private Optional<ChatSessions.Session> streamSession(String cookie) {
    try {
      return chat.sessions().verify(cookie);
    } catch (ChatRequestException unavailable) {
      throw new WebApplicationException(unavailable, RetryStream.response(unavailable));
    }
  }

  private static String user(Optional<ChatSessions.Session> session) {
    return session
        .orElseThrow(() -> ChatRequestException.unauthenticated("log in first: POST /login"))
        .name();
  }

  /**
   * Publishes the body, exactly as sent, to {@code room}; answers {@code 202} with the event id.
   */
  @POST
  @Path("messages")
  public CompletionStage<Response> post(
      @QueryParam("room") String room, @Context HttpHeaders headers, InputStream body)
      throws IOException {
    String validRoom;
    String text;
    try {
      validRoom = ChatInput.room(room);
      text =
          ChatInput.message(
              headers.getHeaderString(HttpHeaders.CONTENT_TYPE), headers.getLength(), body);
    } catch (ChatRequestException refused) {
      throw drained(body, refused);
    }
    return rooms
        .publish(validRoom, text)
        .handle(
            (published, failure) ->
                failure == null
                    ? Response.status(Response.Status.ACCEPTED)
                        .type("text/plain;charset=UTF-8")
                        .header("Cache-Control", "no-store")
                        .header(ChatMessagesServlet.MULTI_ROOM_ID_HEADER, published.multiRoomId())
                        .entity(published.id() + "\n")
                        .build()
                    : Refusals.answer(rooms.refusal(validRoom, failure)));
  }

  /**
   * Answers a refused request with its status and plain-text reason, as the servlet endpoints do.
   */
  @Provider
  public static final class Refusals implements ExceptionMapper<ChatRequestException> {
    /** Created by Jersey. */
    public Refusals() {}

    @Override
    public Response toResponse(ChatRequestException refused) {
      return answer(refused);
    }

    static Response answer(ChatRequestException refused) {
      Response.ResponseBuilder answer =
          Response.status(refused.status())
              .type("text/plain;charset=UTF-8")
              .header("Cache-Control", "no-store")
              .entity(refused.getMessage() + "\n");
      if (refused.retryAfterSeconds() > 0) {
        answer.header("Retry-After", Long.toString(refused.retryAfterSeconds()));
      }
      if (refused.status() == 401) {
        answer.header("WWW-Authenticate", ChatSessions.CHALLENGE);
      }
      if (refused.closesConnection()) {
        answer.header("Connection", "close");
      }
      return answer.build();
    }
  }

  /**
   * {@code POST /api/login} and {@code POST /api/logout}: the answers of {@link LoginServlet}.
   *
   * <p><b>Thread safety:</b> thread-safe; one instance serves every request.
   */
  @Path("/")
  @Singleton
  public static final class Sessions {
    private final ChatContext chat;

    /** Created once by Jersey. */
    public Sessions(@Context Configuration configuration) {
      this.chat = (ChatContext) configuration.getProperty(CHAT_PROPERTY);
    }

    /** Logs the body's name in: {@code 204} with the session cookie, or {@code 400}. */
    @POST
    @Path("login")
    public Response login(@Context HttpHeaders headers, InputStream body) throws IOException {
      String name;
      try {
        name =
            ChatSessions.name(
                ChatInput.message(
                        headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                        headers.getLength(),
                        body)
                    .strip(),
                "name");
      } catch (ChatRequestException refused) {
        throw drained(body, refused);
      }
      return Response.noContent()
          .header("Set-Cookie", chat.sessions().login(name))
          .header("Cache-Control", "no-store")
          .build();
    }

    /** Logs the session out and ends the user's streams; {@code 204} and a cleared cookie. */
    @POST
    @Path("logout")
    public Response logout(@CookieParam(ChatSessions.COOKIE) String cookie, InputStream body) {
      ChatInput.drain(body);
      chat.logout(chat.sessions().authentic(cookie)); // a 503 keeps the cookie for a retry
      return Response.noContent()
          .header("Set-Cookie", chat.sessions().clearingCookie())
          .header("Cache-Control", "no-store")
          .build();
    }
  }

  /**
   * Adds the CORS headers for allowed origins to every answer of the API (the feature adds them to
   * streams already, with the same values).
   *
   * <p><b>Thread safety:</b> immutable and thread-safe.
   */
  static final class CorsHeaders implements ContainerResponseFilter {
    private final ChatCors cors;

    CorsHeaders(ChatCors cors) {
      this.cors = cors;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
      cors.forEachHeader(request.getHeaderString("Origin"), response.getHeaders()::putSingle);
    }
  }

  /**
   * Answers the preflights of posts from allowed origins with {@code 204}, before the feature's
   * filter, which answers those of streams ({@code GET}).
   *
   * <p><b>Thread safety:</b> immutable and thread-safe.
   */
  @PreMatching
  @Priority(POST_PREFLIGHT_PRIORITY)
  static final class PostPreflights implements ContainerRequestFilter {
    private final ChatCors cors;

    PostPreflights(ChatCors cors) {
      this.cors = cors;
    }

    @Override
    public void filter(ContainerRequestContext request) {
      String origin = request.getHeaderString("Origin");
      if (!cors.isPostPreflight(
          request.getMethod(), origin, request.getHeaderString("Access-Control-Request-Method"))) {
        return;
      }
      Response.ResponseBuilder answer = Response.noContent();
      cors.forEachPreflightHeader(origin, answer::header);
      request.abortWith(answer.build());
    }
  }
}
