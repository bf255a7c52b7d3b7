package org.ssekit.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a resource method's {@link jakarta.ws.rs.sse.SseEventSink} a stream of a hub topic: the
 * client receives the events retained after its {@code Last-Event-ID} (header, or {@code
 * lastEventId} query parameter), then every live event, with keep-alives; the method body has
 * nothing left to do.
 *
 * <pre>{@code
 * @GET
 * @Path("rooms/{room}")
 * @Produces(MediaType.SERVER_SENT_EVENTS)
 * @SseTopic("room-{room}")
 * public void room(@Context SseEventSink sink) {
 * }
 * }</pre>
 *
 * <p>Requires {@link SseHubFeature} in the application, which checks every annotated method when
 * the application starts: it must return {@code void}, take a {@code @Context SseEventSink}
 * parameter, and name only path parameters of its {@code @Path} templates. Do not send to the sink,
 * close it or register it with a broadcaster: the topic owns the stream. Filters and interceptors
 * run as for any resource method.
 *
 * <p>Responses are those of the topic: {@code 200} with the stream, {@code 204 No Content} if the
 * topic is closed, {@code 503} with {@code Retry-After} if the hub refuses the client, {@code 400}
 * if the resolved topic name is not valid.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SseTopic {
  /**
   * The topic name, in which each {@code {name}} is replaced by the request's (decoded) path
   * parameter of that name, such as {@code "room-{room}"}.
   */
  String value();
}
