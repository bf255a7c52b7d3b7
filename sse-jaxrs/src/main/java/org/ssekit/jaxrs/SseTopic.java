package org.ssekit.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a resource method's {@link jakarta.ws.rs.sse.SseEventSink} a stream of a hub topic, or of
 * several topics and selectors at once: the client receives the events retained after its {@code
 * Last-Event-ID} (header, or {@code lastEventId} query parameter), then every live event, with
 * keep-alives; the method body has nothing left to do.
 *
 * <pre>{@code
 * @GET
 * @Path("rooms/{room}")
 * @Produces(MediaType.SERVER_SENT_EVENTS)
 * @SseTopic("room-{room}")
 * public void room(@Context SseEventSink sink) {
 * }
 *
 * @GET
 * @Path("users/{user}/feed")
 * @Produces(MediaType.SERVER_SENT_EVENTS)
 * @SseTopic({"rooms/{room}", "users/{user}/**"})       // GET users/42/feed?room=a&room=b
 * public void feed(@QueryParam("room") List<String> rooms, @Context SseEventSink sink) {
 * }
 * }</pre>
 *
 * <p><b>Placeholders.</b> Each {@code {name}} is replaced by the request's decoded path parameter
 * of that name if the method's path has one, else by its query parameter of that name, which the
 * method must declare as a {@code @QueryParam} parameter. A query parameter may be repeated: an
 * entry then stands for one entry per value ({@code ?room=a&room=b} makes {@code rooms/a} and
 * {@code rooms/b}); with several repeated placeholders in one entry, one per combination. Values
 * are taken literally and never make a wildcard: {@code *} and {@code **} come from the template
 * only.
 *
 * <p><b>One topic or a selection.</b> An annotation of one value without a wildcard whose
 * placeholders are all path parameters names one topic, literally, exactly as before selections
 * existed ({@link org.ssekit.Selection#topic}). Every other annotation builds a {@link
 * org.ssekit.Selection} of its entries ({@link org.ssekit.Selection#of}, duplicates counted once),
 * whose rules each entry must follow; its stream is one stream of every matching topic, resumed
 * with one {@code Last-Event-ID}.
 *
 * <p>Requires {@link SseHubFeature} in the application, which checks every annotated method when
 * the application starts: it must return {@code void}, take a {@code @Context SseEventSink}
 * parameter, name only path parameters of its {@code @Path} templates and its own {@code
 * QueryParam}s, and its selection entries must be able to follow the rules. Do not send to the
 * sink, close it or register it with a broadcaster: the topics own the stream. Filters and
 * interceptors run as for any resource method.
 *
 * <p><b>Responses</b> are those of the topics: {@code 200} with the stream; {@code 204 No Content}
 * if the topic is closed (all of the selection's topics); for a passing refusal the feature's
 * {@link org.ssekit.RefusalAnswer}; {@code 400} with a plain-text reason if a placeholder has no
 * value, a value holds {@code *}, the result is not a valid topic name or selection (CR or LF in a
 * value, say), or it has more entries than the hub's {@link
 * org.ssekit.SseHub.Builder#maxSelectionSize maxSelectionSize}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SseTopic {
  /**
   * The topic name, or the topics and selectors of a selection, in which each {@code {name}} is
   * replaced by the request's (decoded) path or query parameter of that name, such as {@code
   * "room-{room}"} or {@code {"rooms/{room}", "users/{user}/**"}}.
   */
  String[] value();
}
