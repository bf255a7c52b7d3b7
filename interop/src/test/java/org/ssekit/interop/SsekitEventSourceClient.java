package org.ssekit.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import org.ssekit.client.EventSource;
import org.ssekit.client.EventSourceListener;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.SelfSignedCertificate;

/**
 * ssekit's own client, {@link EventSource} from {@code sse-client}, with its defaults except a 2 s
 * read timeout (as the other clients that have one). Events map as {@code onEvent} reports them;
 * the ready state is {@link EventSource#readyState()}. Listener calls run on the reading thread (no
 * callback executor), as an application that does not set one gets them. A token is an {@code
 * Authorization: Bearer} header given to the builder, which sends it with every request.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class SsekitEventSourceClient implements SseClient {
  private final ClientKind kind;
  private final HttpClient httpClient;

  /** The HTTP/1.1 column: the source's default HTTP client. */
  SsekitEventSourceClient() {
    this.kind = ClientKind.SSEKIT_CLIENT;
    this.httpClient = null;
  }

  /**
   * The HTTP/2 column: a JDK {@code HttpClient} that prefers HTTP/2 and trusts {@code trusted}, as
   * an application sets one with {@link EventSource.Builder#httpClient}.
   */
  SsekitEventSourceClient(SelfSignedCertificate trusted) {
    this.kind = ClientKind.SSEKIT_CLIENT_H2;
    this.httpClient =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(trusted.clientContext())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  @Override
  public ClientKind kind() {
    return kind;
  }

  @Override
  public String version() {
    return System.getProperty("ssekit.interop.version", "this build");
  }

  @Override
  public ClientConnection open(String run, URI uri, Set<String> types, Credential credential) {
    EventSource.Builder builder = EventSource.builder(uri).readTimeout(Duration.ofSeconds(2));
    if (credential != null) {
      // The builder takes headers once: every reconnect sends this token.
      builder.header("Authorization", "Bearer " + credential.token());
    }
    return connect(httpClient == null ? builder : builder.httpClient(httpClient));
  }

  /** Starts a source built by {@code builder}, recording what it reports. */
  static ClientConnection connect(EventSource.Builder builder) {
    SsekitConnection connection = new SsekitConnection();
    connection.source = builder.connect(connection);
    return connection;
  }

  @Override
  public void close() {
    // Each connection owns its source; closing a connection releases it.
  }

  private static final class SsekitConnection extends ClientConnection
      implements EventSourceListener {
    private volatile EventSource source;

    @Override
    public void onOpen(EventSource source) {
      record(Observation.open());
    }

    @Override
    public void onEvent(EventSource source, ReceivedEvent event) {
      record(Observation.event(event.type(), event.data(), event.lastEventId()));
    }

    @Override
    public void onError(EventSource source, Throwable cause) {
      record(Observation.error("onError (" + source.readyState() + "): " + cause));
    }

    @Override
    public void onClosed(EventSource source) {
      record(Observation.error("onClosed"));
    }

    @Override
    ReadyState readyState() {
      return ReadyState.valueOf(source.readyState().name());
    }

    @Override
    public void close() {
      source.close();
    }
  }
}
