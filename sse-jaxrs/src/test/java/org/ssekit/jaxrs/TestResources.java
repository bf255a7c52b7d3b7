package org.ssekit.jaxrs;

import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.servlet.ServletStreams;

/** The resources the tests serve. */
final class TestResources {
  private TestResources() {}

  /** The annotation form: one-line resource methods. */
  @Path("/")
  public static class Topics {
    @GET
    @Path("topics/{topic}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("{topic}")
    public void topic(@Context SseEventSink sink) {}

    @GET
    @Path("rooms/{room}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic("room-{room}")
    public void room(@Context SseEventSink sink) {}
  }

  /** Streams of several topics and selectors: annotated, and built by the method. */
  @Path("select")
  public static class Selections {
    private final SseTopics topics;

    public Selections(@Context Configuration configuration) {
      this.topics = SseTopics.from(configuration);
    }

    @GET
    @Path("users/{user}")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @SseTopic({"rooms/{room}", "users/{user}/**"})
    public void feed(@QueryParam("room") List<String> rooms, @Context SseEventSink sink) {}

    @GET
    @Path("entries")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void entries(@QueryParam("entry") List<String> entries, @Context SseEventSink sink) {
      Selection selection;
      try {
        selection = Selection.of(entries);
      } catch (IllegalArgumentException badEntry) {
        throw new WebApplicationException(
            Response.status(400).type("text/plain").entity(badEntry.getMessage()).build());
      }
      topics.subscribe(sink, selection);
    }
  }

  /**
   * The README's resource: stock Jersey code in which one line changed (the broadcaster). Jersey
   * creates it once ({@code @Singleton}) and injects the configuration, where {@link SseHubFeature}
   * put the topics.
   */
  @Singleton
  @Path("news")
  public static class NewsResource {
    private final Sse sse;
    private final SseBroadcaster broadcaster;

    public NewsResource(@Context Sse sse, @Context Configuration configuration) {
      this.sse = sse;
      this.broadcaster =
          SseTopics.from(configuration).broadcaster("news"); // was: sse.newBroadcaster()
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@Context SseEventSink sink) {
      broadcaster.register(sink);
    }

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    public CompletionStage<Response> post(String headline) {
      return broadcaster
          .broadcast(sse.newEventBuilder().name("headline").data(headline).build())
          .thenApply(id -> Response.accepted(id).build()); // the id the topic's log assigned
    }
  }

  /** Stock JAX-RS SSE beside the feature: a sink the application writes and closes itself. */
  @Path("own")
  public static class OwnSink {
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context Sse sse, @Context SseEventSink sink) {
      sink.send(sse.newEventBuilder().name("own").data("written by the runtime").build());
      sink.close();
    }
  }

  /**
   * A servlet that streams the topic named by its path info with sse-servlet, beside the JAX-RS
   * ones; or, given {@code entry} query parameters, their selection.
   */
  static final class TopicServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ServletStreams streams;

    TopicServlet(SseHub hub) {
      this.streams = ServletStreams.builder(hub).build();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      String[] entries = request.getParameterValues("entry");
      if (entries != null) {
        streams.open(request, response, Selection.of(entries), SseListener.NONE);
        return;
      }
      streams.open(request, response, request.getPathInfo().substring(1), SseListener.NONE);
    }
  }

  /** A value that the application serialises as (pretty-printed, multi-line) JSON. */
  static final class Headline {
    final String title;
    final int rank;

    Headline(String title, int rank) {
      this.title = title;
      this.rank = rank;
    }
  }

  /** Writes a {@link Headline} as indented JSON, and counts how often it was asked to. */
  @Produces(MediaType.APPLICATION_JSON)
  static final class HeadlineWriter implements MessageBodyWriter<Headline> {
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public boolean isWriteable(
        Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
      return type == Headline.class;
    }

    @Override
    public void writeTo(
        Headline headline,
        Class<?> type,
        Type genericType,
        Annotation[] annotations,
        MediaType mediaType,
        MultivaluedMap<String, Object> httpHeaders,
        OutputStream entityStream)
        throws IOException {
      writes.incrementAndGet();
      entityStream.write(json(headline).getBytes(StandardCharsets.UTF_8));
    }

    static String json(Headline headline) {
      return "{\n  \"title\" : \"" + headline.title + "\",\n  \"rank\" : " + headline.rank + "\n}";
    }
  }

  /**
   * Stands for an application's own filters: refuses {@code /topics/private-*} without credentials,
   * and adds a header to every response.
   */
  static final class GuardFilter implements ContainerRequestFilter, ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      // Relative to the base URI: Jersey leaves out the leading slash, RESTEasy keeps it.
      String path = request.getUriInfo().getPath();
      if ((path.startsWith("topics/private-") || path.startsWith("/topics/private-"))
          && request.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
        request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
      }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
      response.getHeaders().add("X-Guarded", "yes");
    }
  }

  /** A resource around a broadcaster the test holds. */
  @Path("b")
  public static class Broadcast {
    private final SseBroadcaster broadcaster;

    Broadcast(SseBroadcaster broadcaster) {
      this.broadcaster = broadcaster;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@Context SseEventSink sink) {
      broadcaster.register(sink);
    }
  }
}
