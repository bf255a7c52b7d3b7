package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.HttpSseClient;
import org.ssekit.testkit.ThreadChecks;

/**
 * The demo with {@code --tls}, over real HTTPS on an ephemeral port, on Jetty and on Tomcat: a JDK
 * {@code HttpClient} that trusts exactly the certificate the server generated gets its streams (of
 * both paths) and its posts over HTTP/2, and one that offers only HTTP/1.1 gets that on the same
 * port.
 */
class TlsChatServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  static Stream<Arguments> serversAndPaths() {
    return Stream.of(ServerKind.values())
        .flatMap(kind -> Stream.of("/chat", "/api/chat").map(base -> Arguments.of(kind, base)));
  }

  private final List<HttpSseClient> streams = new ArrayList<>();
  private ChatServer server;

  @AfterEach
  void stopServer() {
    streams.forEach(HttpSseClient::close);
    if (server != null) {
      server.close();
    }
    await().atMost(WAIT).until(() -> ThreadChecks.ssekitThreads().isEmpty());
  }

  private void start(ServerKind kind) throws Exception {
    server = ChatServer.start(ChatOptions.defaults().withPort(0).withServer(kind).withTls(true));
  }

  /** A client of {@code version} whose only trusted certificate is the server's. */
  private HttpClient client(HttpClient.Version version) throws Exception {
    X509Certificate certificate = server.certificate().orElseThrow();
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("demo", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().version(version).sslContext(tls).connectTimeout(WAIT).build();
  }

  private HttpSseClient stream(HttpClient client, String pathAndQuery) throws Exception {
    HttpSseClient stream = HttpSseClient.get(client, server.uri().resolve(pathAndQuery));
    streams.add(stream);
    return stream;
  }

  private HttpResponse<String> post(HttpClient client, String pathAndQuery, String text)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
            .timeout(WAIT)
            .header("Content-Type", "text/plain; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("serversAndPaths")
  void aStreamAndAPostAreHttp2OverTls(ServerKind kind, String base) throws Exception {
    start(kind);
    assertThat(server.uri().getScheme()).isEqualTo("https");
    HttpClient h2 = client(HttpClient.Version.HTTP_2);
    HttpSseClient stream = stream(h2, base + "/events?room=lobby");

    HttpResponse<Void> headers = stream.awaitHeaders(WAIT);
    assertThat(headers.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(headers.statusCode()).isEqualTo(200);
    assertThat(headers.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    await().atMost(WAIT).until(() -> server.hub().subscriberCount("lobby") == 1);

    HttpResponse<String> posted = post(h2, base + "/messages?room=lobby", "over h2");
    assertThat(posted.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    ReceivedEvent event = stream.poll(WAIT);
    assertThat(event).isNotNull();
    assertThat(event.data()).isEqualTo("over h2");
    assertThat(event.lastEventId()).isEqualTo(posted.body().trim());
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void manyStreamsOfBothPathsShareOneHttp2ClientAndAllReceive(ServerKind kind) throws Exception {
    start(kind);
    HttpClient h2 = client(HttpClient.Version.HTTP_2);
    List<HttpSseClient> opened = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      opened.add(stream(h2, (i % 2 == 0 ? "/chat" : "/api/chat") + "/events?room=many"));
    }
    for (HttpSseClient stream : opened) {
      assertThat(stream.awaitHeaders(WAIT).version()).isEqualTo(HttpClient.Version.HTTP_2);
    }
    await().atMost(WAIT).until(() -> server.hub().subscriberCount("many") == 10);

    String id = post(h2, "/chat/messages?room=many", "to all ten").body().trim();

    for (HttpSseClient stream : opened) {
      ReceivedEvent event = stream.poll(WAIT);
      assertThat(event).isNotNull();
      assertThat(event.lastEventId()).isEqualTo(id);
      assertThat(event.data()).isEqualTo("to all ten");
    }
  }

  @ParameterizedTest
  @MethodSource("serversAndPaths")
  void aClientThatOffersOnlyHttp11GetsItOnTheSamePort(ServerKind kind, String base)
      throws Exception {
    start(kind);
    HttpClient h1 = client(HttpClient.Version.HTTP_1_1);
    HttpSseClient stream = stream(h1, base + "/events?room=lobby");

    HttpResponse<Void> headers = stream.awaitHeaders(WAIT);
    assertThat(headers.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(headers.statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> server.hub().subscriberCount("lobby") == 1);
    String id = post(h1, base + "/messages?room=lobby", "over HTTP/1.1").body().trim();
    ReceivedEvent event = stream.poll(WAIT);
    assertThat(event).isNotNull();
    assertThat(event.lastEventId()).isEqualTo(id);
  }

  @ParameterizedTest
  @EnumSource(ServerKind.class)
  void aClientThatTrustsOnlyTheUsualAuthoritiesRefusesTheSelfSignedCertificate(ServerKind kind)
      throws Exception {
    start(kind);
    HttpClient usual = HttpClient.newBuilder().connectTimeout(WAIT).build();

    assertThatThrownBy(
            () ->
                usual.send(
                    HttpRequest.newBuilder(server.uri()).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void withoutTlsTheServerIsPlainHttpAndHasNoCertificate() throws Exception {
    server = ChatServer.start(ChatOptions.defaults().withPort(0));

    assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
    assertThat(server.certificate()).isEmpty();
  }

  @Test
  void theCertificateNamesTheLoopbackAddressesAndTheListeningAddressUnlessItIsAWildcard() {
    String loopback = "dns:localhost,ip:127.0.0.1,ip:::1";
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("127.0.0.1")).isEqualTo(loopback);
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("localhost")).isEqualTo(loopback);
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("0.0.0.0")).isEqualTo(loopback);
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("::")).isEqualTo(loopback);
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("192.168.1.20"))
        .isEqualTo(loopback + ",ip:192.168.1.20");
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("fe80::1"))
        .isEqualTo(loopback + ",ip:fe80::1");
    assertThat(SelfSignedKeyStore.subjectAlternativeNames("chat.example"))
        .isEqualTo(loopback + ",dns:chat.example");
  }
}
