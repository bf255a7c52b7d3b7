package org.ssekit.samples;

import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import java.util.concurrent.CompletionStage;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
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
 * </ul>
 *
 * <p><b>Thread safety:</b> thread-safe; one instance serves every request.
 */
@Path("chat")
@Singleton
public final class ChatApi {
  /** The application property that holds the {@link ChatRooms}. */
  private static final String ROOMS_PROPERTY = ChatRooms.class.getName();

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
    this.rooms = (ChatRooms) configuration.getProperty(ROOMS_PROPERTY);
  }

  /** Returns the Jersey servlet of the API, serving the rooms of {@code rooms}' hub. */
  static HttpServlet servlet(ChatRooms rooms) {
    ResourceConfig application =
        new ResourceConfig()
            .register(SseHubFeature.of(rooms.hub()))
            .register(ChatApi.class)
            .register(Refusals.class)
            .property(ROOMS_PROPERTY, rooms)
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
  public void events(@QueryParam("room") List<String> rooms, @Context SseEventSink sink) {
    topics.subscribe(sink, ChatRooms.selection(ChatInput.rooms(rooms)));
  }

  /**
   * Publishes the body, exactly as sent, to {@code room}; answers {@code 202} with the event id.
   */
  @POST
  @Path("messages")
  public CompletionStage<Response> post(
      @QueryParam("room") String room, @Context HttpHeaders headers, InputStream body)
      throws IOException {
    String validRoom = ChatInput.room(room);
    String text =
        ChatInput.message(
            headers.getHeaderString(HttpHeaders.CONTENT_TYPE), headers.getLength(), body);
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
      return answer.build();
    }
  }
}
