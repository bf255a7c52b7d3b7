package org.ssekit.interop;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Jersey's JAX-RS {@link SseEventSource} client. Events map as the JAX-RS API defines them: the
 * type is {@code getName()}, or {@code message} when it is null; the data is {@code readData()};
 * the last event id is {@code getId()}, the event's own id field, reported as "not reported" when
 * null (see {@link ClientKind#JERSEY}). The ready state is {@code isOpen()}: OPEN while it is
 * connected or reconnecting, CLOSED once it gave up. As the API has no open callback, the
 * connection counts as open when {@code open()}, which waits for the first response, returns with
 * the source open. A token goes in an {@code Authorization: Bearer} header that a {@code
 * ClientRequestFilter} on the target adds to every request.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class JerseyClient implements SseClient {
  private final Client client =
      ClientBuilder.newBuilder()
          .connectTimeout(5, TimeUnit.SECONDS)
          .readTimeout(2, TimeUnit.SECONDS)
          .build();

  @Override
  public ClientKind kind() {
    return ClientKind.JERSEY;
  }

  @Override
  public String version() {
    return Versions.ofMavenArtifact(
        org.glassfish.jersey.media.sse.SseFeature.class,
        "org.glassfish.jersey.media",
        "jersey-media-sse");
  }

  @Override
  public ClientConnection open(String run, URI uri, Set<String> types, Credential credential) {
    WebTarget target = client.target(uri);
    if (credential != null) {
      // A JAX-RS client filter runs for every request of the target, reconnects included.
      target.register(
          (ClientRequestFilter)
              request ->
                  request.getHeaders().putSingle("Authorization", "Bearer " + credential.token()));
    }
    SseEventSource source = SseEventSource.target(target).build();
    JerseyConnection connection = new JerseyConnection(source);
    source.register(connection::onEvent, connection::onError, connection::onComplete);
    // Jersey's open() returns once the first response came (or failed); its API has no open
    // callback, so
    // an open connection is recorded then, unless the connection already failed.
    source.open();
    boolean failed =
        connection.observations().stream().anyMatch(o -> o.kind() == Observation.Kind.ERROR);
    if (source.isOpen() && !failed) {
      // Events may have been dispatched before open() returned; the open is recorded after them.
      connection.record(Observation.open());
    }
    return connection;
  }

  @Override
  public void close() {
    client.close();
  }

  private static final class JerseyConnection extends ClientConnection {
    private final SseEventSource source;

    JerseyConnection(SseEventSource source) {
      this.source = source;
    }

    void onEvent(InboundSseEvent event) {
      String type = event.getName() == null ? "message" : event.getName();
      String data = event.readData();
      record(Observation.event(type, data == null ? "" : data, event.getId()));
    }

    void onError(Throwable error) {
      record(Observation.error("onError: " + error));
    }

    void onComplete() {
      record(Observation.error("onComplete"));
    }

    @Override
    ReadyState readyState() {
      return source.isOpen() ? ReadyState.OPEN : ReadyState.CLOSED;
    }

    @Override
    public void close() {
      source.close(1, TimeUnit.SECONDS);
    }
  }
}
