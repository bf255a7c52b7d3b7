package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.CloseReason;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.Subscription;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * A client that vanishes while large events are written to it: the container fails the write, and
 * the application's {@code onClose} calls back into the hub and the subscription, from its own
 * thread and from another one, without deadlock, because no ssekit lock is held while it runs.
 *
 * <p>Jetty 12.1 and Tomcat 11 report such a failure by throwing from {@code write} or on a thread
 * of their own; a container may also call the {@code WriteListener}'s {@code onError} from inside
 * the failing {@code write}. A filter makes the container under test do that too, so that this path
 * (the one that used to reach {@code onClose} with the transport's lock held) is the one taken.
 */
class ClientGoneReentryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration REENTRY_WAIT = Duration.ofSeconds(5);

  private SseHub hub;
  private TestContainer container;
  private final List<AutoCloseable> clients = new ArrayList<>();

  static Stream<Named<Supplier<TestContainer>>> containers() {
    return Stream.of(
        Named.of("jetty-ee11", JettyEe11Container::new),
        Named.of("tomcat-11", TomcatContainer::new));
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (hub != null) {
      hub.close();
    }
    if (container != null) {
      container.close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  @ParameterizedTest
  @MethodSource("containers")
  void onCloseReentersTheHubAndTheSubscriptionWhenTheContainerFailsAWrite(
      Supplier<TestContainer> factory) throws Exception {
    hub = SseHub.builder().maxQueuedBytes(64 << 20).build();
    InlineErrors inlineErrors = new InlineErrors();
    ReentrantListener listener = new ReentrantListener(hub, inlineErrors);
    container = factory.get();
    container.filter(inlineErrors, true);
    container.servlet(
        "/events",
        new SseServlet(hub) {
          private static final long serialVersionUID = 1L;

          @Override
          protected Admission admit(HttpServletRequest request) {
            String topic = request.getParameter("topic");
            return topic.equals("doomed")
                ? Admission.accept(topic, listener)
                : Admission.accept(topic, SseListener.NONE);
          }
        });
    int port = container.start();
    RawSseClient witness = RawSseClient.get(port, "/events?topic=witness");
    clients.add(witness);
    assertThat(witness.awaitHeaders(WAIT)).isTrue();

    try (Socket doomed = openStream(port, "/events?topic=doomed")) {
      assertThat(listener.opened.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      // Gone with a reset: the container's next write to it fails.
      doomed.setSoLinger(true, 0);
    }
    String large = "x".repeat(1 << 20);
    for (int i = 0; i < 8; i++) {
      hub.publish("doomed", ServerSentEvent.of(large));
    }

    assertThat(listener.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("onClose called")
        .isTrue();
    assertThat(listener.reason).isEqualTo(CloseReason.CLIENT_GONE);
    assertThat(listener.problems).isEmpty();
    // What onClose published reached the other topic's client; the hub is not wedged.
    List<String> received = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ReceivedEvent event = witness.poll(WAIT);
      assertThat(event).isNotNull();
      received.add(event.data());
    }
    assertThat(received).containsExactlyInAnyOrder("from onClose", "from another thread");
    await().atMost(WAIT).until(() -> hub.subscriberCount("doomed") == 0);
    RawSseClient next = RawSseClient.get(port, "/events?topic=doomed-again");
    clients.add(next);
    assertThat(next.awaitHeaders(WAIT)).isTrue();
    assertThat(next.status()).isEqualTo(200);
  }

  /** Opens a stream on a raw socket and reads its response head. */
  private static Socket openStream(int port, String target) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    int endOfHead = 0;
    while (endOfHead < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("stream ended in its response head");
      }
      endOfHead = c == (endOfHead % 2 == 0 ? '\r' : '\n') ? endOfHead + 1 : 0;
    }
    return socket;
  }

  /** Returns the monitors this thread holds that ssekit code locked (main code, not tests). */
  private static List<String> ssekitMonitorsHeld() {
    MonitorInfo[] monitors =
        ManagementFactory.getThreadMXBean()
            .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0]
            .getLockedMonitors();
    List<String> held = new ArrayList<>();
    for (MonitorInfo monitor : monitors) {
      String frame = monitor.getLockedStackFrame().getClassName();
      if (frame.startsWith("org.ssekit.")
          && !frame.startsWith(ClientGoneReentryTest.class.getName())) {
        held.add(monitor.getClassName() + " locked in " + monitor.getLockedStackFrame());
      }
    }
    return held;
  }

  /**
   * Calls back into the hub and the subscription from {@code onClose}, on its own thread and from
   * another one (as the container would, reporting the same failure again), with bounded waits.
   */
  private static final class ReentrantListener implements SseListener {
    final CountDownLatch opened = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final SseHub hub;
    private final InlineErrors container;
    volatile CloseReason reason;

    ReentrantListener(SseHub hub, InlineErrors container) {
      this.hub = hub;
      this.container = container;
    }

    @Override
    public void onOpen(Subscription subscription) {
      opened.countDown();
    }

    @Override
    public void onClose(Subscription subscription, CloseReason reason) {
      this.reason = reason;
      try {
        List<String> held = ssekitMonitorsHeld();
        if (!held.isEmpty()) {
          problems.add("onClose runs under ssekit locks: " + held);
        }
        // The same thread.
        subscription.close();
        if (subscription.offer(ServerSentEvent.of("too late"))) {
          problems.add("a closed subscription took an event");
        }
        if (subscription.state() != Subscription.State.CLOSED) {
          problems.add("state in onClose: " + subscription.state());
        }
        hub.publish("witness", ServerSentEvent.of("from onClose"));
        hub.subscriberCount("doomed");
        // Another thread: the container reporting the failure again, and the application.
        WriteListener transport = container.writeListener;
        CompletableFuture.runAsync(
                () -> {
                  transport.onError(new IOException("reported again by a container thread"));
                  subscription.close();
                  hub.publish("witness", ServerSentEvent.of("from another thread"))
                      .toCompletableFuture()
                      .join();
                  hub.stats();
                })
            .get(REENTRY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException deadlock) {
        problems.add(
            "another thread calling back from onClose did not finish within " + REENTRY_WAIT);
      } catch (Exception | AssertionError e) {
        problems.add("onClose failed: " + e);
      } finally {
        closed.countDown();
      }
    }
  }

  /**
   * Makes the container report a failed {@code write} or {@code flush} from inside the call, as a
   * container may: the {@code WriteListener}'s {@code onError} runs before the exception is thrown.
   */
  private static final class InlineErrors implements Filter {
    volatile WriteListener writeListener;

    @Override
    public void doFilter(
        jakarta.servlet.ServletRequest request,
        jakarta.servlet.ServletResponse response,
        jakarta.servlet.FilterChain chain)
        throws IOException, jakarta.servlet.ServletException {
      chain.doFilter(request, new InlineErrorResponse((HttpServletResponse) response, this));
    }
  }

  private static final class InlineErrorResponse extends HttpServletResponseWrapper {
    private final InlineErrors filter;
    private ServletOutputStream stream;

    InlineErrorResponse(HttpServletResponse response, InlineErrors filter) {
      super(response);
      this.filter = filter;
    }

    @Override
    public synchronized ServletOutputStream getOutputStream() throws IOException {
      if (stream == null) {
        stream = new InlineErrorStream(super.getOutputStream(), filter);
      }
      return stream;
    }
  }

  private static final class InlineErrorStream extends ServletOutputStream {
    private final ServletOutputStream delegate;
    private final InlineErrors filter;
    private volatile WriteListener listener;

    InlineErrorStream(ServletOutputStream delegate, InlineErrors filter) {
      this.delegate = delegate;
      this.filter = filter;
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      listener = writeListener;
      filter.writeListener = writeListener;
      delegate.setWriteListener(writeListener);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        delegate.write(b, off, len);
      } catch (IOException e) {
        reportInline(e);
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        delegate.flush();
      } catch (IOException e) {
        reportInline(e);
        throw e;
      }
    }

    private void reportInline(IOException e) {
      listener.onError(e);
    }
  }
}
