package org.ssekit.jaxrs;

import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Objects;
import org.ssekit.Selection;
import org.ssekit.SseHub;

/**
 * The topics of one {@link SseHub} as JAX-RS sees them, for resources: get it with {@code
 * SseTopics.from(configuration)} from an injected {@code @Context Configuration}, or from {@link
 * SseHubFeature#topics()}.
 *
 * <pre>{@code
 * public NewsResource(@Context Configuration configuration) {
 *   this.broadcaster = SseTopics.from(configuration).broadcaster("news"); // was: sse.newBroadcaster()
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public interface SseTopics {
  /**
   * Returns the topics of the {@link SseHubFeature} registered in the application that {@code
   * configuration} describes.
   *
   * @throws NullPointerException if {@code configuration} is null
   * @throws IllegalStateException if no {@link SseHubFeature} is registered
   */
  static SseTopics from(Configuration configuration) {
    Objects.requireNonNull(configuration, "configuration");
    Object topics = configuration.getProperty(SseHubFeature.TOPICS_PROPERTY);
    if (topics instanceof SseTopics) {
      return (SseTopics) topics;
    }
    throw new IllegalStateException(
        "no SseHubFeature in this application: register SseHubFeature.of(hub)"
            + " in its Application or ResourceConfig");
  }

  /** Returns the hub whose topics these are; publish to it from anywhere. */
  SseHub hub();

  /**
   * Returns a new {@link SseBroadcaster} for {@code topic}: a drop-in replacement for {@code
   * Sse.newBroadcaster()} whose events go through the topic, so they are logged for replay, get
   * their id from the topic's log, reach every subscriber of the topic (also those of other
   * broadcasters, of {@link SseTopic} methods and of the servlet adapter), and are encoded once.
   *
   * <p>What differs from the JAX-RS defaults:
   *
   * <ul>
   *   <li>{@code broadcast} returns a stage completed with the id the log assigned (a {@code
   *       String}) once the event is in the log and queued to every local subscriber, or failed
   *       with {@link IllegalStateException} if the topic or the hub is closed, or with the log's
   *       exception. A subscriber whose queue overflows is disconnected and catches up from the log
   *       when it reconnects; the stage does not wait for any client.
   *   <li>An event's own id is ignored (the log assigns ids; it is still checked for CR and LF). An
   *       event without data (a comment alone) is refused with {@link IllegalArgumentException}:
   *       the hub sends keep-alive comments itself.
   *   <li>Data that is not a {@code String} is serialised once, with the application's {@code
   *       MessageBodyWriter} for the event's media type; its lines become {@code data:} lines.
   *   <li>A sink can be registered once, with one broadcaster; the stream then belongs to the
   *       topic: do not send to it or close it directly.
   *   <li>Each registered sink gets exactly one terminal callback: {@code onError} if its stream
   *       failed unexpectedly, otherwise {@code onClose} (client gone, broadcaster, topic or hub
   *       closed, queue overflow, stall).
   * </ul>
   *
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalArgumentException if {@code topic} is not a valid topic name
   */
  SseBroadcaster broadcaster(String topic);

  /**
   * Makes {@code sink} one stream of every topic {@code selection} matches: what {@link SseTopic}
   * does, for a selection the resource method builds itself. Call it from the resource method,
   * before it returns; the stream is then taken over when Jersey writes the sink's response. The
   * client receives the events of every matching topic retained after its {@code Last-Event-ID},
   * then every live one, each topic's in its order; a selection of one topic is exactly that
   * topic's stream (and that of its broadcasters' sinks).
   *
   * <pre>{@code
   * @GET
   * @Produces(MediaType.SERVER_SENT_EVENTS)
   * public void feed(@QueryParam("room") List<String> rooms, @Context SseEventSink sink) {
   *   topics.subscribe(sink, Selection.of(rooms.stream().map(r -> "rooms/" + r).toList()));
   * }
   * }</pre>
   *
   * <p>Responses: {@code 200} with the stream; {@code 204} if all of the selection's topics are
   * closed; for a passing refusal the feature's {@link org.ssekit.RefusalAnswer}; {@code 400} with
   * a plain-text reason if the selection has more entries than the hub's {@link
   * SseHub.Builder#maxSelectionSize maxSelectionSize} or its log serves one topic per stream. As
   * with a broadcaster, do not send to the sink or close it: the topics own the stream.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the sink is registered already (with a broadcaster, or here)
   */
  void subscribe(SseEventSink sink, Selection selection);

  /**
   * As {@link #subscribe(SseEventSink, Selection)}, and the stream also receives the presence
   * events of its presence topics ({@link org.ssekit.Subscription#receivePresence()}; the hub names
   * them with {@link SseHub.Builder#presenceTopics}): a join per current member, then {@code event:
   * presence} with {@code {"join":"alice"}} or {@code {"leave":"alice"}}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the sink is registered already (with a broadcaster, or here)
   */
  void subscribeWithPresence(SseEventSink sink, Selection selection);
}
