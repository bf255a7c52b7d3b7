package org.ssekit.interop;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import org.ssekit.jaxrs.SseTopic;

/**
 * The scenario endpoints of the sse-jaxrs path ({@link ServerPaths#JERSEY_JAXRS}), as a JAX-RS
 * application writes them.
 */
@Path("/")
public final class JerseyResource {
  /** The topic's stream: the client joins the topic named by the path. */
  @GET
  @Path("sse/{topic}")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @SseTopic("{topic}")
  public void stream(@Context SseEventSink sink) {}

  /**
   * One stream of the selection that the query names under the path's topic ({@link
   * SelectionQuery}): the library resolves the templates and answers {@code 400} for a selection it
   * cannot build or serve.
   */
  @GET
  @Path("select/{run}")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @SseTopic({SelectionQuery.TOPIC_TEMPLATE, SelectionQuery.UNDER_TEMPLATE})
  public void selection(
      @QueryParam(SelectionQuery.TOPIC) List<String> topics,
      @QueryParam(SelectionQuery.UNDER) List<String> under,
      @Context SseEventSink sink) {}

  /** Refuses every client with {@code 403}. */
  @GET
  @Path("refuse/{topic}")
  public Response refuse() {
    return Response.status(Response.Status.FORBIDDEN)
        .type(MediaType.TEXT_PLAIN_TYPE)
        .entity("interop: this endpoint refuses every client\n")
        .build();
  }

  /** Answers {@code 200} with {@code text/plain} text that would be an event in an event stream. */
  @GET
  @Path("plain/{topic}")
  @Produces(MediaType.TEXT_PLAIN)
  public String plain() {
    return InteropServlets.NotAnEventStreamServlet.BODY;
  }

  /**
   * The selection streams of the application mapped at {@code /auth/*}, whose feature has the
   * {@link InteropTokens#authorizer() JwtAuthorizer}: the same resource method as {@link
   * #selection}, authorized by the library before the stream opens.
   */
  @Path("/")
  public static final class Authorized {
    /** One stream of the selection that the query names under the path's topic. */
    @GET
    @Path("{run}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic({SelectionQuery.TOPIC_TEMPLATE, SelectionQuery.UNDER_TEMPLATE})
    public void selection(
        @QueryParam(SelectionQuery.TOPIC) List<String> topics,
        @QueryParam(SelectionQuery.UNDER) List<String> under,
        @Context SseEventSink sink) {}
  }

  /**
   * The topic's stream in the application mapped at {@code /unavailable/*}, whose feature answers
   * passing refusals with {@code 503} and {@code Retry-After}.
   */
  @Path("/")
  public static final class Unavailable {
    /** The topic's stream: the client joins the topic named by the path. */
    @GET
    @Path("{topic}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("{topic}")
    public void stream(@Context SseEventSink sink) {}
  }
}
