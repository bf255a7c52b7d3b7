package org.ssekit.samples;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisEventLog;

/**
 * The running chat demo: one {@link SseHub} whose topics are the chat rooms, served by an embedded
 * Jetty or Tomcat through the servlet adapter ({@code /chat/...}) and the JAX-RS adapter ({@code
 * /api/chat/...}), plus the page at {@code /}.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.start(ChatOptions.defaults().withPort(0))) {
 *   URI page = server.uri();
 * }
 * }</pre>
 *
 * <p><b>Lifecycle:</b> running once {@link #start} returns. {@link #close()} first closes the hub,
 * which ends every stream after a {@code retry:} with random jitter (so that browsers do not all
 * reconnect at once when the server is back), then stops the container. Closing twice is safe.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class ChatServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ChatServer.class.getName());

  private final ChatOptions options;
  private final ChatRooms rooms;
  private final WebServer web;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ChatServer(ChatOptions options, ChatRooms rooms, WebServer web, int port) {
    this.options = options;
    this.rooms = rooms;
    this.web = web;
    this.port = port;
  }

  /**
   * Builds the hub, maps the endpoints and starts the container; logs one INFO line saying where it
   * listens.
   *
   * @throws Exception if the container cannot start (for example, the port is taken); nothing is
   *     left running then
   */
  public static ChatServer start(ChatOptions options) throws Exception {
    Objects.requireNonNull(options, "options");
    SseHub.Builder hubConfig = SseHub.builder().name("chat").keepAlive(options.keepAlive());
    if (options.redisUri() != null) {
      // Rooms, ids and replay live in Redis: demo processes given the same Redis share them.
      hubConfig.eventLog(RedisEventLog.builder(options.redisUri()).name("chat").build());
    }
    SseHub hub = hubConfig.build();
    WebServer web = WebServer.of(options.server());
    ChatRooms rooms = new ChatRooms(hub);
    try {
      web.servlet("/chat/events", new ChatEventsServlet(rooms));
      web.servlet("/chat/messages", new ChatMessagesServlet(rooms));
      web.servlet("/chat/rooms/*", new ChatRoomsServlet(rooms));
      web.servlet("/api/*", ChatApi.servlet(rooms));
      if (options.testHooks()) {
        web.servlet("/admin/drop", new AdminDropServlet(rooms));
        web.servlet("/admin/streams", new AdminStreamsServlet(rooms));
      }
      web.servlet("/", new StaticResourceServlet());
      int port = web.start(options.host(), options.port());
      ChatServer server = new ChatServer(options, rooms, web, port);
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
                  + (options.testHooks() ? ", test hooks on" : "")
                  + (options.redisUri() != null ? ", rooms shared through Redis" : "")
                  + ")");
      return server;
    } catch (Exception | Error e) {
      hub.close();
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

  /** Returns the page's address, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    return URI.create("http://" + host + ":" + port + "/");
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
      LOG.log(Level.DEBUG, () -> "stopped " + uri());
    } catch (Exception e) {
      LOG.log(Level.WARNING, "stopping " + options.server() + " failed", e);
    } finally {
      stopped.countDown();
    }
  }
}
