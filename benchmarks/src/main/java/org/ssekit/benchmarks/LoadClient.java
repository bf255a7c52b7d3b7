package org.ssekit.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * The load-client JVM: holds thousands of SSE streams on one selector thread, parses every event
 * (HTTP framing here, the event stream with sse-client's {@link EventStreamParser}), checks that
 * each client receives every expected event once and in order, and measures latency from the {@code
 * System.nanoTime()} stamp in the data (the server runs on the same machine, so on the same clock).
 * Connections come from several 127.0.0.x source addresses and at most {@link #MAX_PENDING}
 * connects are in flight at once.
 *
 * <p>Commands, one per line on standard input, each answered with one line on standard output:
 *
 * <ul>
 *   <li>{@code connect N STALLED [multi]}: opens N more streams, the first STALLED of which have a
 *       tiny receive buffer and are never read after the response headers; with {@code multi}, each
 *       is a stream of {@link TopicSpread#PER_CLIENT} of the {@link TopicSpread#TOPICS} topics (the
 *       client's index picks them: {@link TopicSpread#firstTopic}) instead of the one topic;
 *   <li>{@code expect FROM TO}: from now on every client must receive events FROM..TO, a
 *       multi-topic client exactly those of its topics ({@link TopicSpread#topicOf}), each topic's
 *       in order; resets counters;
 *   <li>{@code until TO}: the events expected end at TO instead (the publisher was stopped there);
 *       single-topic clients only;
 *   <li>{@code await TIMEOUT_MILLIS}: waits until every live, non-stalled client has event TO;
 *   <li>{@code keepalive TIMEOUT_MILLIS}: waits until every live, non-stalled client got a comment;
 *   <li>{@code churn PER_MILLE_PER_SECOND}: that share of clients disconnects and reconnects with
 *       {@code Last-Event-ID} every second (0 stops and reports reconnect latency);
 *   <li>{@code down NODE}, {@code up NODE PORT}: with several server nodes, takes a node out of the
 *       balance (no new connection goes there) or puts it back (on its new port);
 *   <li>{@code outage [reset]}: what reconnects did since the last reset (see below); with {@code
 *       reset}, resets it;
 *   <li>{@code quit}.
 * </ul>
 *
 * <p>With several server nodes ({@link ClusterScenario}), client {@code i} starts on a live node in
 * turn, and a stream the server ends (or a connect refused, or a {@code 503}) does not end the
 * client: it reconnects, as a browser behind a balancer would, to the next live node with its
 * {@code Last-Event-ID}, after the last {@code retry:} it received (the hub's graceful shutdown
 * sends a jittered one), or one to two times the {@code Retry-After} of a {@code 503}, or else a
 * random delay of up to {@link #RECONNECT_SPREAD_MILLIS} (a node that died sent nothing). Events
 * that carry their publishing node ({@code "seq stamp n<node> ..."}) are timed apart for clients on
 * that node and on the others.
 *
 * <p><b>Thread safety:</b> all connection state is confined to the selector thread; commands reach
 * it through a queue.
 */
final class LoadClient {
  static final int MAX_PENDING = 256;
  private static final int STALLED_RECEIVE_BUFFER = 4096;
  private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  static final int RECONNECT_SPREAD_MILLIS = 5000;

  /** The server nodes; a restarted node comes back on another port. */
  private final InetSocketAddress[] nodes;

  private final boolean[] live;
  private int nextNode;
  private final int sources;
  private final String path;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
  private final Random random = new Random(42);

  // Everything below is confined to the selector thread.
  private final List<Client> clients = new ArrayList<>();
  private final ArrayDeque<Client> toConnect = new ArrayDeque<>();
  private int pending;
  private int stalledClients;
  private int failedActive; // clients that are not stalled and failed to connect: never complete
  private long connectStartNanos;
  private int connectTarget;
  private int connectDone;
  private int connectFailed;
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private CompletableFuture<String> connectWaiter;

  private long expectFrom = Long.MAX_VALUE;
  private long expectTo = Long.MIN_VALUE;
  private final Histogram latencyMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private long deliveries;
  private long gaps;
  private long dupes;
  private long foreign; // events of topics the client did not subscribe to
  private long firstRecvNanos;
  private long lastRecvNanos;
  private int complete;
  private int closedByServer;
  private CompletableFuture<String> awaitWaiter;
  private long awaitDeadline;
  private long awaitStart;

  private CompletableFuture<String> keepAliveWaiter;
  private long keepAliveDeadline;
  private long keepAliveStart;
  private int keepAliveGot;

  private int churnPerMille;
  private long nextChurnNanos;
  private final Histogram reconnectMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private long reconnects;

  // Several nodes: what the reconnects after a node went away did (the outage command).
  private final java.util.PriorityQueue<Client> toReconnect =
      new java.util.PriorityQueue<>(
          (a, b) -> Long.compare(a.reconnectAtNanos - b.reconnectAtNanos, 0));
  private final Histogram sameNodeMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private final Histogram crossNodeMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private final Histogram outageMicros = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  private long disconnects;
  private long resumed;
  private long firstReconnectNanos;
  private long lastReconnectNanos;
  private long lastResumeNanos;
  private long unavailable; // 503 answers
  private long maxRetryAfterSeconds = -1;
  private long refusedConnects;

  LoadClient(InetSocketAddress[] nodes, int sources, String path) throws IOException {
    this.nodes = nodes.clone();
    this.live = new boolean[nodes.length];
    java.util.Arrays.fill(live, true);
    this.sources = sources;
    this.path = path;
    this.selector = Selector.open();
  }

  /** Runs the load client against the server nodes on {@code ports} (comma-separated). */
  static void main(String ports, int sources) throws Exception {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    InetSocketAddress[] nodes =
        java.util.Arrays.stream(ports.split(","))
            .map(port -> new InetSocketAddress("127.0.0.1", Integer.parseInt(port)))
            .toArray(InetSocketAddress[]::new);
    LoadClient client = new LoadClient(nodes, sources, "/events");
    Thread io = new Thread(client::run, "client-io");
    io.setDaemon(true);
    io.start();
    out.println("READY pid=" + ProcessHandle.current().pid());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split("\\s+");
      try {
        String answer;
        switch (w[0]) {
          case "connect":
            boolean multi = w.length > 3 && w[3].equals("multi");
            answer =
                client.call(
                    () ->
                        client.startConnect(Integer.parseInt(w[1]), Integer.parseInt(w[2]), multi));
            break;
          case "expect":
            answer = client.call(() -> client.expect(Long.parseLong(w[1]), Long.parseLong(w[2])));
            break;
          case "until":
            answer = client.call(() -> client.until(Long.parseLong(w[1])));
            break;
          case "await":
            answer = client.call(() -> client.startAwait(Long.parseLong(w[1])));
            break;
          case "keepalive":
            answer = client.call(() -> client.startKeepAlive(Long.parseLong(w[1])));
            break;
          case "churn":
            answer = client.call(() -> client.churn(Integer.parseInt(w[1])));
            break;
          case "down":
            answer = client.call(() -> client.node(Integer.parseInt(w[1]), -1));
            break;
          case "up":
            answer = client.call(() -> client.node(Integer.parseInt(w[1]), Integer.parseInt(w[2])));
            break;
          case "outage":
            answer = client.call(() -> client.outage(w.length > 1 && w[1].equals("reset")));
            break;
          case "quit":
            out.println("OK bye");
            System.exit(0);
            return;
          default:
            answer = "ERR unknown command: " + line;
        }
        out.println(answer);
      } catch (Exception e) {
        out.println("ERR " + e.toString().replace('\n', ' '));
      }
    }
    System.exit(0);
  }

  /** Runs {@code action} on the selector thread; its future completes with the answer line. */
  private String call(Supplier<CompletableFuture<String>> action) throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    commands.add(
        () ->
            action
                .get()
                .whenComplete(
                    (value, failure) -> {
                      if (failure != null) {
                        answer.complete("ERR " + failure);
                      } else {
                        answer.complete(value);
                      }
                    }));
    selector.wakeup();
    return answer.get(1, TimeUnit.HOURS);
  }

  private void run() {
    try {
      while (true) {
        // The consumer form hands each ready key over directly: no selected-key set to fill and
        // empty.
        selector.select(this::ready, 10);
        Runnable command;
        while ((command = commands.poll()) != null) {
          command.run();
        }
        tick(System.nanoTime());
      }
    } catch (IOException e) {
      e.printStackTrace();
      System.exit(3);
    }
  }

  private void ready(SelectionKey key) {
    Client client = (Client) key.attachment();
    if (!key.isValid()) {
      return;
    }
    if (key.isConnectable()) {
      finishConnect(client, key);
    } else if (key.isReadable()) {
      // Stamped per read, not per selection: reading thousands of ready streams takes a while, and
      // a
      // stamp taken before the first would understate the later ones' latency.
      read(client, System.nanoTime());
    }
  }

  // ---- connecting ----

  private CompletableFuture<String> startConnect(int count, int stalled, boolean multi) {
    connectWaiter = new CompletableFuture<>();
    connectStartNanos = System.nanoTime();
    connectTarget = count;
    connectDone = 0;
    connectFailed = 0;
    statuses.clear();
    for (int i = 0; i < count; i++) {
      int index = clients.size();
      Client client =
          new Client(
              index,
              i < stalled,
              multi ? TopicSpread.firstTopic(index) : -1,
              multi ? TopicSpread.target(TopicSpread.firstTopic(index)) : path);
      if (client.stalled) {
        stalledClients++;
      }
      client.expect(expectFrom, expectTo);
      client.node = pickNode();
      clients.add(client);
      toConnect.add(client);
    }
    CompletableFuture<String> waiter = connectWaiter;
    pump();
    checkConnectDone();
    return waiter;
  }

  private void pump() {
    while (pending < MAX_PENDING && !toConnect.isEmpty()) {
      open(toConnect.poll());
    }
  }

  private void open(Client client) {
    try {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      if (client.stalled) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
      }
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.bind(new InetSocketAddress("127.0.0." + (2 + client.index % sources), 0));
      client.reset(channel);
      // The stream continues the client's earlier one: its last event id carries over.
      client.parser =
          new EventStreamParser(
              new ClientEvents(client),
              EventStreamParser.DEFAULT_MAX_LINE_CHARS,
              client.lastId == null ? "" : client.lastId);
      pending++;
      client.pending = true;
      if (channel.connect(nodes[client.node])) {
        client.key = channel.register(selector, SelectionKey.OP_READ, client);
        sendRequest(client);
      } else {
        client.key = channel.register(selector, SelectionKey.OP_CONNECT, client);
      }
    } catch (IOException e) {
      failed(client, "connect: " + e);
    }
  }

  private void finishConnect(Client client, SelectionKey key) {
    try {
      client.channel.finishConnect();
      key.interestOps(SelectionKey.OP_READ);
      sendRequest(client);
    } catch (IOException e) {
      failed(client, "connect: " + e);
    }
  }

  private void sendRequest(Client client) throws IOException {
    StringBuilder request =
        new StringBuilder(160)
            .append("GET ")
            .append(client.target)
            .append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:")
            .append(nodes[client.node].getPort())
            .append("\r\n")
            .append("Accept: text/event-stream\r\nCache-Control: no-cache\r\n");
    if (client.lastId != null) {
      request.append("Last-Event-ID: ").append(client.lastId).append("\r\n");
    }
    ByteBuffer bytes =
        ByteBuffer.wrap(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      if (client.channel.write(bytes) == 0) {
        throw new IOException("socket buffer full while sending a request");
      }
    }
  }

  /** A stream's response headers arrived. */
  private void opened(Client client, int status, long now) {
    statuses.merge(status, 1, Integer::sum);
    endPending(client);
    if (status != 200) {
      if (status == 503) {
        unavailable++;
        maxRetryAfterSeconds = Math.max(maxRetryAfterSeconds, client.retryAfterSeconds);
      }
      failed(client, "status " + status);
      return;
    }
    client.connected = true;
    client.everConnected = true;
    if (client.reconnectStartNanos != 0) {
      reconnectMicros.recordValue(Math.max(0, (now - client.reconnectStartNanos) / 1000));
      client.reconnectStartNanos = 0;
      reconnects++;
      if (firstReconnectNanos == 0) {
        firstReconnectNanos = now;
      }
      lastReconnectNanos = now;
    } else {
      connectDone++;
    }
    if (client.stalled) {
      client.key.interestOps(0); // never read again: the server's writes pile up
    }
    checkConnectDone();
  }

  private void failed(Client client, String why) {
    boolean wasReconnect = client.reconnectStartNanos != 0;
    endPending(client);
    client.close();
    if (nodes.length > 1 && (client.everConnected || client.retryAfterSeconds >= 0)) {
      // refused, or answered 503 + Retry-After (also on its first connect): it tries again, on
      // the next live node, as a client behind a balancer would
      if (why.startsWith("connect")) {
        refusedConnects++;
      }
      // Retry-After is in whole seconds, the same for every refused client: waiting exactly that
      // long sends them all back at once (seen: 31,521 503s for 2,009 clients in one outage), so
      // a client waits between one and two times it, never less than it was asked.
      long delayMillis =
          client.retryAfterSeconds >= 0
              ? client.retryAfterSeconds * (1000 + random.nextInt(1000))
              : random.nextInt(RECONNECT_SPREAD_MILLIS);
      client.retryAfterSeconds = -1;
      reconnectLater(client, System.nanoTime(), delayMillis);
      return;
    }
    if (!wasReconnect && !client.counted) {
      client.counted = true;
      if (!client.stalled) {
        failedActive++;
      }
      connectFailed++;
      if (connectFailed <= 3) {
        System.err.println("client " + client.index + " failed: " + why);
      }
    }
    checkConnectDone();
  }

  private void endPending(Client client) {
    if (client.pending) {
      client.pending = false;
      pending--;
      pump();
    }
  }

  private void checkConnectDone() {
    if (connectWaiter == null) {
      return;
    }
    boolean timedOut =
        System.nanoTime() - connectStartNanos > CONNECT_TIMEOUT_NANOS + connectTarget * 1_000_000L;
    if (connectDone + connectFailed >= connectTarget || timedOut) {
      long millis = (System.nanoTime() - connectStartNanos) / 1_000_000;
      CompletableFuture<String> waiter = connectWaiter;
      connectWaiter = null;
      waiter.complete(
          "OK ok="
              + connectDone
              + " failed="
              + (connectTarget - connectDone)
              + " millis="
              + millis
              + " statuses="
              + statuses.toString().replace(' ', '_'));
    }
  }

  // ---- expectations ----

  private CompletableFuture<String> expect(long from, long to) {
    expectFrom = from;
    expectTo = to;
    latencyMicros.reset();
    deliveries = 0;
    gaps = 0;
    dupes = 0;
    foreign = 0;
    sameNodeMicros.reset();
    crossNodeMicros.reset();
    firstRecvNanos = 0;
    lastRecvNanos = 0;
    complete = 0;
    closedByServer = 0;
    for (Client client : clients) {
      client.expect(from, to);
      if (!client.connected
          && !client.stalled
          && !client.counted // a failed connect: already left out of activeClients()
          && client.reconnectStartNanos == 0
          && client.disconnectNanos == 0) {
        closedByServer++; // gone before this phase: it cannot complete
      } else if (client.topicsLeft == 0 && !client.stalled) {
        // a multi-topic client none of whose topics gets an event in FROM..TO has nothing to wait
        client.done = true;
        complete++;
      }
    }
    return CompletableFuture.completedFuture("OK from=" + from + " to=" + to);
  }

  private CompletableFuture<String> until(long to) {
    expectTo = to;
    for (Client client : clients) {
      if (!client.done && !client.stalled && client.sequence.next() > to) {
        client.done = true;
        complete++;
      }
    }
    return CompletableFuture.completedFuture("OK to=" + to);
  }

  private CompletableFuture<String> startAwait(long timeoutMillis) {
    CompletableFuture<String> waiter = new CompletableFuture<>();
    awaitWaiter = waiter;
    awaitStart = System.nanoTime();
    awaitDeadline = awaitStart + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    checkAwait(awaitStart);
    return waiter;
  }

  /**
   * The clients expected to complete: neither stalled nor failed. Counted as they change: this is
   * asked on every turn of the selector loop, where a scan of every client cost more than the reads
   * (profiled).
   */
  private int activeClients() {
    return clients.size() - stalledClients - failedActive;
  }

  private void checkAwait(long now) {
    if (awaitWaiter == null) {
      return;
    }
    int active = activeClients();
    if (complete + closedByServer >= active || now - awaitDeadline > 0) {
      CompletableFuture<String> waiter = awaitWaiter;
      awaitWaiter = null;
      waiter.complete(
          "OK complete="
              + complete
              + " of="
              + active
              + " lost="
              + closedByServer
              + " deliveries="
              + deliveries
              + " gaps="
              + gaps
              + " dupes="
              + dupes
              + " foreign="
              + foreign
              + " firstRecv="
              + firstRecvNanos
              + " lastRecv="
              + lastRecvNanos
              + " waited="
              + (now - awaitStart) / 1_000_000
              + " samples="
              + latencyMicros.getTotalCount()
              + " p50="
              + latencyMicros.getValueAtPercentile(50)
              + " p90="
              + latencyMicros.getValueAtPercentile(90)
              + " p99="
              + latencyMicros.getValueAtPercentile(99)
              + " p999="
              + latencyMicros.getValueAtPercentile(99.9)
              + " max="
              + latencyMicros.getMaxValue()
              + " sameSamples="
              + sameNodeMicros.getTotalCount()
              + " sameP50="
              + sameNodeMicros.getValueAtPercentile(50)
              + " sameP99="
              + sameNodeMicros.getValueAtPercentile(99)
              + " crossSamples="
              + crossNodeMicros.getTotalCount()
              + " crossP50="
              + crossNodeMicros.getValueAtPercentile(50)
              + " crossP99="
              + crossNodeMicros.getValueAtPercentile(99)
              + " connected="
              + connectedClients()
              + " sameHist="
              + encode(sameNodeMicros)
              + " crossHist="
              + encode(crossNodeMicros));
    }
  }

  /**
   * {@code histogram} compressed and in Base64: the orchestrator adds up the load clients'
   * histograms, for percentiles over every client.
   */
  static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return java.util.Base64.getEncoder()
        .encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  /** Decodes what {@link #encode} wrote. */
  static Histogram decode(String encoded) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(java.util.Base64.getDecoder().decode(encoded)), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
    }
  }

  private int connectedClients() {
    int connected = 0;
    for (Client client : clients) {
      if (client.connected) {
        connected++;
      }
    }
    return connected;
  }

  // ---- several nodes: balancing and reconnects ----

  /** The next live node in turn, as a round-robin balancer picks. */
  private int pickNode() {
    for (int tries = 0; tries < nodes.length; tries++) {
      int node = nextNode;
      nextNode = (nextNode + 1) % nodes.length;
      if (live[node]) {
        return node;
      }
    }
    return 0; // none live: try the first, and again after the failure
  }

  /** Takes {@code node} out of the balance ({@code port} -1) or back in on {@code port}. */
  private CompletableFuture<String> node(int node, int port) {
    if (port < 0) {
      live[node] = false;
    } else {
      nodes[node] = new InetSocketAddress("127.0.0.1", port);
      live[node] = true;
    }
    int[] held = new int[nodes.length];
    for (Client client : clients) {
      if (client.connected) {
        held[client.node]++;
      }
    }
    return CompletableFuture.completedFuture(
        "OK held=" + java.util.Arrays.toString(held).replace(" ", ""));
  }

  /** Queues {@code client}'s reconnect; the queue stays in time order within a few seconds. */
  private void reconnectLater(Client client, long now, long delayMillis) {
    client.reconnectAtNanos = now + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    toReconnect.add(client);
  }

  private void resumed(Client client, long now) {
    outageMicros.recordValue(Math.max(0, (now - client.disconnectNanos) / 1000));
    client.disconnectNanos = 0;
    resumed++;
    lastResumeNanos = now;
  }

  private CompletableFuture<String> outage(boolean reset) {
    int waiting = 0;
    for (Client client : clients) {
      if (client.disconnectNanos != 0) {
        waiting++;
      }
    }
    String answer =
        "OK disconnects="
            + disconnects
            + " resumed="
            + resumed
            + " waiting="
            + waiting
            + " reconnects="
            + reconnects
            + " firstReconnect="
            + firstReconnectNanos
            + " lastReconnect="
            + lastReconnectNanos
            + " lastResume="
            + lastResumeNanos
            + " outageP50="
            + outageMicros.getValueAtPercentile(50)
            + " outageP99="
            + outageMicros.getValueAtPercentile(99)
            + " outageMax="
            + outageMicros.getMaxValue()
            + " unavailable="
            + unavailable
            + " retryAfter="
            + maxRetryAfterSeconds
            + " refused="
            + refusedConnects;
    if (!reset) {
      return CompletableFuture.completedFuture(answer);
    }
    disconnects = 0;
    resumed = 0;
    reconnects = 0;
    firstReconnectNanos = 0;
    lastReconnectNanos = 0;
    lastResumeNanos = 0;
    outageMicros.reset();
    unavailable = 0;
    maxRetryAfterSeconds = -1;
    refusedConnects = 0;
    return CompletableFuture.completedFuture(answer);
  }

  /** The {@code Retry-After} seconds of a lower-cased response head, or -1. */
  static long retryAfter(String head) {
    int at = head.indexOf("\r\nretry-after:");
    if (at < 0) {
      return -1;
    }
    int end = head.indexOf('\r', at + 2);
    try {
      return Long.parseLong(head.substring(at + 15, end).trim());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  // ---- keep-alives ----

  private CompletableFuture<String> startKeepAlive(long timeoutMillis) {
    CompletableFuture<String> waiter = new CompletableFuture<>();
    keepAliveWaiter = waiter;
    keepAliveStart = System.nanoTime();
    keepAliveDeadline = keepAliveStart + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    keepAliveGot = 0;
    for (Client client : clients) {
      client.sawBytes = false;
    }
    checkKeepAlive(keepAliveStart);
    return waiter;
  }

  private void checkKeepAlive(long now) {
    if (keepAliveWaiter == null) {
      return;
    }
    int live = 0;
    for (Client client : clients) {
      if (client.connected && !client.stalled) {
        live++;
      }
    }
    if (keepAliveGot >= live || now - keepAliveDeadline > 0) {
      CompletableFuture<String> waiter = keepAliveWaiter;
      keepAliveWaiter = null;
      waiter.complete(
          "OK got="
              + keepAliveGot
              + " of="
              + live
              + " millis="
              + (now - keepAliveStart) / 1_000_000);
    }
  }

  // ---- churn ----

  private CompletableFuture<String> churn(int perMille) {
    churnPerMille = perMille;
    if (perMille > 0) {
      reconnectMicros.reset();
      reconnects = 0;
      nextChurnNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      return CompletableFuture.completedFuture("OK churning=" + perMille);
    }
    return CompletableFuture.completedFuture(
        "OK reconnects="
            + reconnects
            + " p50="
            + reconnectMicros.getValueAtPercentile(50)
            + " p99="
            + reconnectMicros.getValueAtPercentile(99)
            + " max="
            + reconnectMicros.getMaxValue());
  }

  private void tick(long now) {
    if (churnPerMille > 0 && now - nextChurnNanos >= 0) {
      nextChurnNanos += TimeUnit.MILLISECONDS.toNanos(100);
      // a tenth of the per-second share every 100 ms, rounded at random so small shares still churn
      double expected = clients.size() * churnPerMille / 10_000.0;
      int count = (int) expected + (random.nextDouble() < expected - (int) expected ? 1 : 0);
      for (int i = 0; i < count; i++) {
        Client client = clients.get(random.nextInt(clients.size()));
        if (client.connected && !client.stalled) {
          client.close();
          client.reconnectStartNanos = now;
          open(client);
        }
      }
    }
    while (!toReconnect.isEmpty() && now - toReconnect.peek().reconnectAtNanos >= 0) {
      Client client = toReconnect.poll();
      client.node = pickNode();
      if (client.everConnected) {
        client.reconnectStartNanos = now; // a first connect that is retried is still a connect
      }
      open(client);
    }
    if (connectWaiter != null) {
      checkConnectDone();
    }
    checkAwait(now);
    checkKeepAlive(now);
  }

  // ---- reading and parsing ----

  private void read(Client client, long now) {
    ByteBuffer buffer = readBuffer;
    buffer.clear();
    int n;
    try {
      n = client.channel.read(buffer);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      boolean wasPending = client.pending;
      boolean wasConnected = client.connected;
      if (wasPending) {
        failed(client, "closed before the headers");
      } else {
        client.close();
        if (nodes.length > 1 && wasConnected && !client.stalled) {
          disconnects++;
          client.disconnectNanos = now;
          // the hub's graceful close sent a jittered retry:; a killed node sent nothing
          long delayMillis =
              client.retryMillis >= 0
                  ? client.retryMillis
                  : random.nextInt(RECONNECT_SPREAD_MILLIS);
          client.retryMillis = -1;
          reconnectLater(client, now, delayMillis);
        } else if (wasConnected && !client.done && !client.stalled) {
          closedByServer++;
        }
      }
      return;
    }
    if (client.connected && !client.sawBytes) {
      // Keep-alives differ (a comment, or Jetty's bare line end): any bytes on an idle stream
      // count.
      client.sawBytes = true;
      keepAliveGot++;
    }
    byte[] bytes = buffer.array();
    int i = 0;
    while (i < n && client.channel != null) {
      i =
          client.state == Client.HEADERS
              ? parseHeaders(client, bytes, i, n, now)
              : parseBody(client, bytes, i, n, now);
    }
  }

  private int parseHeaders(Client client, byte[] bytes, int from, int to, long now) {
    StringBuilder head = client.head;
    for (int i = from; i < to; i++) {
      head.append((char) (bytes[i] & 0xff));
      int len = head.length();
      if (len >= 4
          && head.charAt(len - 1) == '\n'
          && head.charAt(len - 2) == '\r'
          && head.charAt(len - 3) == '\n'
          && head.charAt(len - 4) == '\r') {
        String text = head.toString();
        head.setLength(0);
        int status;
        try {
          status = Integer.parseInt(text.substring(9, 12));
        } catch (RuntimeException e) {
          status = -1;
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        client.chunked = lower.contains("transfer-encoding: chunked");
        client.retryAfterSeconds = retryAfter(lower);
        client.state = client.chunked ? Client.CHUNK_SIZE : Client.IDENTITY;
        opened(client, status, now);
        return i + 1;
      }
      if (len > 16 * 1024) {
        failed(client, "response head too long");
        return to;
      }
    }
    return to;
  }

  private int parseBody(Client client, byte[] bytes, int from, int to, long now) {
    int i = from;
    while (i < to) {
      switch (client.state) {
        case Client.IDENTITY:
          stream(client, bytes, i, to, now);
          i = to;
          break;
        case Client.CHUNK_SIZE:
          {
            byte b = bytes[i++];
            if (b == '\n') {
              client.state = client.chunkRemaining == 0 ? Client.CHUNK_TRAILER : Client.CHUNK_DATA;
            } else if (b != '\r' && !client.chunkExtension) {
              int digit = Character.digit(b, 16);
              if (digit < 0) {
                client.chunkExtension =
                    true; // ';' starts an extension: ignore the rest of the line
              } else {
                client.chunkRemaining = client.chunkRemaining * 16 + digit;
              }
            }
            break;
          }
        case Client.CHUNK_DATA:
          {
            int end = (int) Math.min(to, i + client.chunkRemaining);
            client.chunkRemaining -= end - i;
            stream(client, bytes, i, end, now);
            i = end;
            if (client.chunkRemaining == 0) {
              client.state = Client.CHUNK_END;
            }
            break;
          }
        case Client.CHUNK_END:
          {
            byte b = bytes[i++];
            if (b == '\n') {
              client.state = Client.CHUNK_SIZE;
              client.chunkExtension = false;
            }
            break;
          }
        default:
          return to; // after the last chunk: the close follows
      }
    }
    return to;
  }

  /** Parses bytes[from, to) of the client's event stream with sse-client's parser. */
  private void stream(Client client, byte[] bytes, int from, int to, long now) {
    client.now = now;
    client.parser.feed(bytes, from, to - from);
  }

  /** Receives a client's events: the data is {@code <seq> <nanoTime stamp>}. */
  private final class ClientEvents implements EventStreamParser.Handler {
    private final Client client;

    ClientEvents(Client client) {
      this.client = client;
    }

    @Override
    public void onEvent(ReceivedEvent received) {
      String data = received.data();
      int len = data.length();
      int i = 0;
      long seq = 0;
      for (; i < len && data.charAt(i) >= '0' && data.charAt(i) <= '9'; i++) {
        seq = seq * 10 + (data.charAt(i) - '0');
      }
      i++;
      boolean negative = i < len && data.charAt(i) == '-';
      if (negative) {
        i++;
      }
      long stamp = 0;
      for (; i < len && data.charAt(i) >= '0' && data.charAt(i) <= '9'; i++) {
        stamp = stamp * 10 + (data.charAt(i) - '0');
      }
      int origin = -1; // the publishing node, if the data names it: " n<node>"
      if (i + 2 < len && data.charAt(i) == ' ' && data.charAt(i + 1) == 'n') {
        origin = 0;
        for (i += 2; i < len && data.charAt(i) >= '0' && data.charAt(i) <= '9'; i++) {
          origin = origin * 10 + (data.charAt(i) - '0');
        }
      }
      String id = received.lastEventId();
      client.lastId = id.isEmpty() ? null : id;
      if (client.disconnectNanos != 0) {
        resumed(client, client.now);
      }
      event(client, seq, negative ? -stamp : stamp, origin, client.now);
    }

    @Override
    public void onRetry(long retryMillis) {
      client.retryMillis = retryMillis;
    }
  }

  private void event(Client client, long seq, long stamp, int origin, long now) {
    if (seq < expectFrom || seq > expectTo || client.stalled) {
      return;
    }
    deliveries++;
    if (firstRecvNanos == 0) {
      firstRecvNanos = now;
    }
    lastRecvNanos = now;
    long micros = Math.max(0, (now - stamp) / 1000);
    latencyMicros.recordValue(micros);
    if (origin >= 0) {
      (origin == client.node ? sameNodeMicros : crossNodeMicros).recordValue(micros);
    }
    if (client.firstTopic >= 0) {
      multiTopicEvent(client, seq, now);
      return;
    }
    long checked = client.sequence.accept(seq);
    if (checked == SequenceCheck.DUPLICATE) {
      dupes++;
      return;
    }
    gaps += checked;
    if (client.sequence.next() > expectTo && !client.done) {
      client.done = true;
      complete++;
      if (awaitWaiter != null) {
        checkAwait(now);
      }
    }
  }

  /**
   * Checks one event of a multi-topic client: it must be of one of the client's topics, and the
   * next of that topic (the topic's events are every {@link TopicSpread#TOPICS}th sequence number,
   * so each topic keeps its own next expected number).
   */
  private void multiTopicEvent(Client client, long seq, long now) {
    int slot = TopicSpread.slot(client.firstTopic, TopicSpread.topicOf(seq));
    if (slot < 0) {
      foreign++;
      return;
    }
    long expected = client.nextSeqs[slot];
    if (seq < expected) {
      dupes++;
      return;
    }
    gaps += (seq - expected) / TopicSpread.TOPICS;
    client.nextSeqs[slot] = seq + TopicSpread.TOPICS;
    if (client.nextSeqs[slot] > expectTo) {
      client.topicsLeft--;
      if (client.topicsLeft == 0 && !client.done) {
        client.done = true;
        complete++;
        if (awaitWaiter != null) {
          checkAwait(now);
        }
      }
    }
  }

  /** One logical client: it keeps its place in the event sequence across reconnects. */
  private static final class Client {
    /** Reading the response head. */
    static final int HEADERS = 0;

    /** A body without chunking: every byte until the close is the stream. */
    static final int IDENTITY = 1;

    /** Reading a chunk-size line. */
    static final int CHUNK_SIZE = 2;

    /** Inside a chunk: {@code chunkRemaining} bytes of the stream follow. */
    static final int CHUNK_DATA = 3;

    /** The CRLF after a chunk. */
    static final int CHUNK_END = 4;

    /** After the last (empty) chunk: the response ended. */
    static final int CHUNK_TRAILER = 5;

    final int index;
    final boolean stalled;

    /** The first of a multi-topic client's topics ({@link TopicSpread}), or -1 (one topic). */
    final int firstTopic;

    /** The request target of its stream. */
    final String target;

    SocketChannel channel;
    SelectionKey key;
    boolean pending;
    boolean connected;
    boolean counted;
    long reconnectStartNanos;

    int state;
    final StringBuilder head = new StringBuilder(256);
    boolean chunked;
    long chunkRemaining;
    boolean chunkExtension;

    /** The parser of the current connection's stream; each connection starts a new one. */
    EventStreamParser parser;

    /** When the bytes being parsed were read. */
    long now;

    String lastId;

    /** A single-topic client's place in the sequence, kept across reconnects. */
    final SequenceCheck sequence = new SequenceCheck();

    /** The server node it is connected to (or will connect to next). */
    int node;

    boolean everConnected;

    /**
     * The last {@code retry:} received, or -1; the {@code Retry-After} of the last answer, or -1.
     */
    long retryMillis = -1;

    long retryAfterSeconds = -1;

    /** When the server ended its stream (0: it has resumed since); when it reconnects. */
    long disconnectNanos;

    long reconnectAtNanos;

    /** A multi-topic client's next expected sequence number per topic, by slot; else null. */
    final long[] nextSeqs;

    /** A multi-topic client's topics that still expect an event; 1 for a single-topic one. */
    int topicsLeft;

    boolean done;
    boolean sawBytes;

    Client(int index, boolean stalled, int firstTopic, String target) {
      this.index = index;
      this.stalled = stalled;
      this.firstTopic = firstTopic;
      this.target = target;
      this.nextSeqs = firstTopic >= 0 ? new long[TopicSpread.PER_CLIENT] : null;
    }

    /** Expects events {@code from..to} (of its topics, if it has several) from now on. */
    void expect(long from, long to) {
      sequence.expect(from);
      done = false;
      if (nextSeqs == null) {
        topicsLeft = 1;
        return;
      }
      topicsLeft = 0;
      for (int slot = 0; slot < nextSeqs.length; slot++) {
        if (from > to) {
          nextSeqs[slot] = Long.MAX_VALUE; // no expectation yet
          continue;
        }
        int topic = (firstTopic + slot) % TopicSpread.TOPICS;
        // the first sequence number >= from that goes to this topic
        nextSeqs[slot] =
            from + Math.floorMod(topic - TopicSpread.topicOf(from), TopicSpread.TOPICS);
        if (nextSeqs[slot] <= to) {
          topicsLeft++;
        }
      }
    }

    void reset(SocketChannel channel) {
      this.channel = channel;
      this.state = HEADERS;
      this.head.setLength(0);
      this.chunkRemaining = 0;
      this.chunkExtension = false;
      this.connected = false;
    }

    void close() {
      connected = false;
      if (key != null) {
        key.cancel();
      }
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      channel = null;
      key = null;
    }
  }
}
