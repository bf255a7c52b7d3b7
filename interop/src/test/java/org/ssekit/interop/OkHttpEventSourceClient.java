package org.ssekit.interop;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.HttpConnectStrategy;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ssekit.testkit.SelfSignedCertificate;

/**
 * LaunchDarkly's okhttp-eventsource through {@link BackgroundEventSource}, its push API, with the
 * library's defaults except a 2 s read timeout. Events map as {@code onMessage(event, message)}
 * reports them; a null {@code getLastEventId()} (the library's "no id") is the empty string. The
 * ready state is {@link EventSource#getState()}: its {@code CLOSED} means "will reconnect" (so
 * CONNECTING here), and only {@code SHUTDOWN} is CLOSED. A token goes in an {@code Authorization:
 * Bearer} header that {@code HttpConnectStrategy.requestTransformer} adds to every request.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class OkHttpEventSourceClient implements SseClient {
  private final ClientKind kind;
  private final SelfSignedCertificate trusted;

  /** The HTTP/1.1 column: okhttp-eventsource's own OkHttp client. */
  OkHttpEventSourceClient() {
    this.kind = ClientKind.OKHTTP_EVENTSOURCE;
    this.trusted = null;
  }

  /**
   * The HTTP/2 column: its OkHttp client also trusts {@code trusted}, and negotiates h2 by ALPN as
   * OkHttp does by default over TLS.
   */
  OkHttpEventSourceClient(SelfSignedCertificate trusted) {
    this.kind = ClientKind.OKHTTP_EVENTSOURCE_H2;
    this.trusted = trusted;
  }

  @Override
  public ClientKind kind() {
    return kind;
  }

  @Override
  public String version() {
    return Versions.ofMavenArtifact(EventSource.class, "com.launchdarkly", "okhttp-eventsource");
  }

  @Override
  public ClientConnection open(String run, URI uri, Set<String> types, Credential credential) {
    OkHttpConnection connection = new OkHttpConnection();
    HttpConnectStrategy http = ConnectStrategy.http(uri).readTimeout(2, TimeUnit.SECONDS);
    if (credential != null) {
      // The library's hook that runs before each request, reconnects included.
      http =
          http.requestTransformer(
              request ->
                  request
                      .newBuilder()
                      .header("Authorization", "Bearer " + credential.token())
                      .build());
    }
    if (trusted != null) {
      http =
          http.clientBuilderActions(
              builder ->
                  builder.sslSocketFactory(
                      trusted.clientContext().getSocketFactory(), trusted.trustManager()));
    }
    EventSource.Builder eventSource = new EventSource.Builder(http);
    BackgroundEventSource source =
        new BackgroundEventSource.Builder(connection, eventSource)
            .threadBaseName("interop-" + run)
            .build();
    connection.source = source;
    source.start();
    return connection;
  }

  @Override
  public void close() {
    // Each connection owns its threads and HTTP client; closing a connection releases them.
  }

  private static final class OkHttpConnection extends ClientConnection
      implements BackgroundEventHandler {
    private volatile BackgroundEventSource source;

    @Override
    public void onOpen() {
      record(Observation.open());
    }

    @Override
    public void onClosed() {
      record(Observation.error("onClosed"));
    }

    @Override
    public void onMessage(String event, MessageEvent message) {
      String lastEventId = message.getLastEventId();
      record(Observation.event(event, message.getData(), lastEventId == null ? "" : lastEventId));
    }

    @Override
    public void onComment(String comment) {
      // Comments are not events.
    }

    @Override
    public void onError(Throwable t) {
      record(Observation.error("onError: " + t));
    }

    @Override
    ReadyState readyState() {
      switch (source.getEventSource().getState()) {
        case OPEN:
          return ReadyState.OPEN;
        case SHUTDOWN:
          return ReadyState.CLOSED;
        default:
          return ReadyState.CONNECTING;
      }
    }

    @Override
    public void close() {
      source.close();
    }
  }
}
