package org.ssekit.samples;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisEventLog;

/**
 * The running chat demo: one {@link SseHub} whose topics are the chat rooms, served by an embedded
 * Jetty or Tomcat through the servlet adapter ({@code /chat/...}) and the JAX-RS adapter ({@code
 * /api/chat/...}), plus the page at {@code /}. Users log in by name ({@code /login}, {@code
 * /logout}, {@link ChatSessions}), read their own inbox of direct messages and nobody else's
 * ({@link ChatAuthorizer}), and pages of the {@linkplain ChatOptions#allowedOrigins allowed
 * origins} may use it all with credentials ({@link ChatCors}).
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.start(ChatOptions.defaults().withPort(0))) {
 *   URI page = server.uri();
 * }
 * }</pre>
 *
 * <p>With {@link ChatOptions#tls()} it listens with TLS and a self-signed certificate generated at
 * start (see {@link #certificate()}), and offers HTTP/2 and HTTP/1.1 by ALPN: browsers speak HTTP/2
 * only over TLS, and over HTTP/2 a page's streams share one connection instead of taking one each
 * of the six a browser allows per server over HTTP/1.1.
 *
 * <p><b>Lifecycle:</b> running once {@link #start} returns. {@link #close()} first closes the hub,
 * which ends every stream after a {@code retry:} with random jitter (so that browsers do not all
 * reconnect at once when the server is back), then stops the container. Closing twice is safe.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class ChatServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ChatServer.class.getName());

  /** The command-line option of {@link ChatOptions#sessionSecretFile()}, named in its reasons. */
  static final String SESSION_SECRET_OPTION = "--session-secret-file";

  private final ChatOptions options;
  private final ChatRooms rooms;
  private final Logouts logouts;
  private final WebServer web;
  private final SelfSignedKeyStore keyStore; // null without TLS
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ChatServer(
      ChatOptions options,
      ChatRooms rooms,
      Logouts logouts,
      WebServer web,
      SelfSignedKeyStore keyStore,
      int port) {
    this.options = options;
    this.rooms = rooms;
    this.logouts = logouts;
    this.web = web;
    this.keyStore = keyStore;
    this.port = port;
  }

  /**
   * Builds the hub, maps the endpoints and starts the container; logs one INFO line saying where it
   * listens.
   *
   * @throws IllegalArgumentException if the {@linkplain ChatOptions#sessionSecretFile() session
   *     secret file} cannot be read or holds fewer than 32 or more than 4096 bytes
   * @throws Exception if the container cannot start (for example, the port is taken) or, with TLS,
   *     the certificate cannot be generated (keytool missing: a JRE instead of a JDK); nothing is
   *     left running then
   */
  public static ChatServer start(ChatOptions options) throws Exception {
    Objects.requireNonNull(options, "options");
    // Before the hub: a failure here leaves nothing to close.
    SessionKey sessionKey =
        options.sessionSecretFile() == null
            ? SessionKey.random()
            : SessionKey.read(options.sessionSecretFile(), SESSION_SECRET_OPTION);
    SelfSignedKeyStore keyStore =
        options.tls() ? SelfSignedKeyStore.generate(options.host()) : null;
    SseHub.Builder hubConfig =
        SseHub.builder()
            .name("chat")
            .keepAlive(options.keepAlive())
            .presenceTopics(ChatRooms.PRESENCE_TOPICS);
    RedisEventLog redisLog = null;
    if (options.redisUri() != null) {
      // Rooms, ids and replay live in Redis: demo processes given the same Redis share them.
      redisLog = RedisEventLog.builder(options.redisUri()).name("chat").build();
      hubConfig.eventLog(redisLog);
    }
    SseHub hub = hubConfig.build();
    Logouts logouts;
    try {
      logouts =
          redisLog == null
              ? new LocalLogouts(Clock.systemUTC(), options.sessionLifetime())
              : RedisLogouts.connect(
                  options.redisUri(),
                  redisLog.config().keyPrefix(),
                  options.sessionLifetime(),
                  redisLog.config().commandTimeout(),
                  hub.config().retryAfter());
    } catch (RuntimeException e) {
      hub.close();
      throw e;
    }
    WebServer web = WebServer.of(options.server());
    if (keyStore != null) {
      web.tls(keyStore);
    }
    ChatRooms rooms = new ChatRooms(hub);
    ChatContext chat =
        new ChatContext(
            rooms,
            new ChatSessions(
                sessionKey, logouts, options.sessionLifetime(), options.tls(), Clock.systemUTC()),
            new DirectMessages(rooms),
            ChatCors.of(options.allowedOrigins()));
    try {
      web.servlet("/login", LoginServlet.login(chat));
      web.servlet("/logout", LoginServlet.logout(chat));
      web.servlet("/chat/events", ChatEventsServlet.rooms(rooms, chat.sessions(), chat.cors()));
      web.servlet("/chat/inbox", ChatEventsServlet.inbox(rooms, chat.sessions(), chat.cors()));
      web.servlet("/chat/messages", new ChatMessagesServlet(rooms, chat.cors()));
      web.servlet("/chat/dm", new ChatDmServlet(chat.messages(), chat.sessions(), chat.cors()));
      web.servlet("/chat/rooms/*", new ChatRoomsServlet(rooms, chat.cors()));
      web.servlet("/api/*", ChatApi.servlet(chat));
      if (options.testHooks()) {
        web.servlet("/admin/drop", new AdminDropServlet(rooms));
        web.servlet("/admin/streams", new AdminStreamsServlet(rooms));
      }
      web.servlet("/", new StaticResourceServlet());
      int port = web.start(options.host(), options.port());
      ChatServer server = new ChatServer(options, rooms, logouts, web, keyStore, port);
      LOG.log(
          Level.INFO,
          () ->
              "listening on "
                  + server.uri()
                  + " ("
                  + options.server()
                  + ", keep-alive "
                  + options.keepAlive().toSeconds()
                  + " s"
                  + (keyStore != null
                      ? ", HTTP/2 and HTTP/1.1 by ALPN, self-signed certificate SHA-256 "
                          + keyStore.fingerprint()
                      : "")
                  + ", sessions of "
                  + options.sessionLifetime().toSeconds()
                  + " s"
                  + (options.allowedOrigins().isEmpty()
                      ? ""
                      : ", CORS for " + String.join(" ", options.allowedOrigins()))
                  + (options.testHooks() ? ", test hooks on" : "")
                  + (sessionKey.isShared() ? ", session key from a file" : "")
                  + (options.redisUri() != null ? ", rooms and logouts shared through Redis" : "")
                  + ")");
      return server;
    } catch (Exception | Error e) {
      hub.close();
      logouts.close();
      try {
        web.stop();
      } catch (Exception stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
  }

  /** Returns the port the server listens on. */
  public int port() {
    return port;
  }

  /**
   * Returns the page's address, such as {@code http://127.0.0.1:8080/}, or {@code
   * https://127.0.0.1:8443/} with TLS.
   */
  public URI uri() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create((keyStore != null ? "https" : "http") + "://" + host + ":" + port + "/");
  }

  /**
   * Returns the self-signed certificate the server presents with TLS, for a client that trusts
   * exactly it; empty without TLS.
   */
  public Optional<X509Certificate> certificate() {
    return Optional.ofNullable(keyStore).map(SelfSignedKeyStore::certificate);
  }

  /** Returns the hub behind every room. */
  public SseHub hub() {
    return rooms.hub();
  }

  /**
   * Waits until {@link #close()} has finished.
   *
   * @return true if it finished within the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitClosed(long timeout, TimeUnit unit) throws InterruptedException {
    return stopped.await(timeout, unit);
  }

  /** Ends every stream (each with a jittered {@code retry:}), then stops the container. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      rooms.shutDown();
      rooms.hub().close();
      web.stop();
      logouts.close();
      LOG.log(Level.DEBUG, () -> "stopped " + uri());
    } catch (Exception e) {
      LOG.log(Level.WARNING, "stopping " + options.server() + " failed", e);
    } finally {
      stopped.countDown();
    }
  }
}
