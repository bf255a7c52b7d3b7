package org.ssekit.reliability;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import org.ssekit.Selection;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopics;

/**
 * The JAX-RS way of the suite's servers: {@code GET entries} streams the selection of the {@code
 * entry} query parameters, through the {@link SseHubFeature} registered with the application (and
 * so behind its authorizer, if it has one); a bad entry is answered {@code 400} with the {@link
 * Selection} rule's message, as sse-jaxrs's README tells applications to do.
 *
 * <p><b>Thread safety:</b> one instance per request, as JAX-RS resources are by default.
 */
@Path("entries")
public class EntriesResource {
  private final SseTopics topics;

  /** Reads the feature's {@link SseTopics} from the application's configuration. */
  public EntriesResource(@Context Configuration configuration) {
    this.topics = SseTopics.from(configuration);
  }

  /**
   * Streams {@code entries} into {@code sink}.
   *
   * @throws WebApplicationException with a {@code 400} answer if an entry breaks a selection rule
   */
  @GET
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
