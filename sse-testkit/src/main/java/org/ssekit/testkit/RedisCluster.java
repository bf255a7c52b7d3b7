package org.ssekit.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/**
 * A real Redis Cluster for tests: six {@code redis-server --cluster-enabled yes} processes on free
 * loopback ports (three masters, each with one replica, made by {@code redis-cli --cluster
 * create}), with persistence off and a node timeout of 1 s, so that a replica takes over a failed
 * master within a few seconds. Finds the master of a slot, and kills ({@code kill -9}), stops
 * ({@code SIGTERM}), freezes ({@code SIGSTOP}) and resumes ({@code SIGCONT}) single nodes; {@link
 * #close()} kills every node and deletes their files, and a JVM shutdown hook does the same if a
 * test run ends without closing it, so that no {@code redis-server} outlives the tests.
 *
 * <p>Needs {@code redis-server} (found as {@link RedisServer} finds it; register {@link
 * RedisServer.Required} to skip without it) and {@code redis-cli} beside it or on the {@code PATH}.
 *
 * <p><b>Thread safety:</b> confined to the test thread, but {@link #close()} may run on any.
 */
public final class RedisCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int NODE_TIMEOUT_MILLIS = 1000;

  private final Path directory;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>(); // port to process
  private final Thread hook = new Thread(this::killAll, "redis-cluster-cleanup");

  private RedisCluster(Path directory) {
    this.directory = directory;
  }

  /**
   * Starts six nodes, joins them into a cluster of three masters with one replica each, and waits
   * until every node reports {@code cluster_state:ok} and every replica is in sync.
   *
   * @throws IOException if a process cannot be started
   */
  public static RedisCluster start() throws IOException, InterruptedException {
    Path binary = RedisServer.binary();
    Assertions.assertNotNull(binary, "redis-server not found");
    Path cli = binary.resolveSibling("redis-cli");
    RedisCluster cluster = new RedisCluster(Files.createTempDirectory("ssekit-redis-cluster-"));
    Runtime.getRuntime().addShutdownHook(cluster.hook);
    boolean started = false;
    try {
      for (int i = 0; i < 6; i++) {
        cluster.startNode(binary);
      }
      List<String> create = new ArrayList<>();
      create.add(Files.isExecutable(cli) ? cli.toString() : "redis-cli");
      create.add("--cluster");
      create.add("create");
      cluster.nodes.keySet().forEach(port -> create.add("127.0.0.1:" + port));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      Process creating =
          new ProcessBuilder(create)
              .redirectErrorStream(true)
              .redirectOutput(cluster.directory.resolve("create.log").toFile())
              .start();
      Assertions.assertTrue(creating.waitFor(30, TimeUnit.SECONDS), "cluster create hung");
      Assertions.assertEquals(
          0, creating.exitValue(), "cluster create failed; see create.log in " + cluster.directory);
      cluster.awaitHealthy();
      started = true;
      return cluster;
    } finally {
      if (!started) {
        cluster.close();
      }
    }
  }

  private void startNode(Path binary) throws IOException {
    int port = freePort();
    int busPort = freePort();
    Path dir = Files.createDirectories(directory.resolve(Integer.toString(port)));
    List<String> command =
        List.of(
            binary.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--cluster-enabled",
            "yes",
            "--cluster-port",
            Integer.toString(busPort),
            "--cluster-config-file",
            dir.resolve("nodes.conf").toString(),
            "--cluster-node-timeout",
            Integer.toString(NODE_TIMEOUT_MILLIS),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    nodes.put(port, process);
    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "redis-server exited with "
                        + process.exitValue()
                        + "; see "
                        + dir.resolve("redis.log"));
              }
              return answers(port);
            });
  }

  private boolean answers(int port) {
    try {
      return "PONG".equals(call(port, "PING"));
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Returns one URI naming every node as a seed, {@code
   * redis://127.0.0.1:<port1>,127.0.0.1:<port2>,...}, as Lettuce's cluster client takes it.
   */
  public String uri() {
    return "redis://"
        + nodes.keySet().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /** Returns the seed URIs of every node, {@code redis://127.0.0.1:<port>} each. */
  public List<String> uris() {
    return nodes.keySet().stream().map(port -> "redis://127.0.0.1:" + port).toList();
  }

  /** Returns the ports of the nodes that run, killed or stopped ones left out. */
  public List<Integer> livePorts() {
    return nodes.entrySet().stream()
        .filter(node -> node.getValue().isAlive())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** Returns the hash slot of {@code key} ({@code CLUSTER KEYSLOT}). */
  public int slotOf(String key) {
    return Integer.parseInt(call(livePorts().get(0), "CLUSTER", "KEYSLOT", key));
  }

  /**
   * Returns the port of the master serving {@code slot}, as the first live node sees it, or -1 if
   * no live master serves it.
   */
  public int masterOf(int slot) {
    for (String line : clusterNodes()) {
      String[] fields = line.split(" ");
      if (fields[2].contains("master") && !fields[2].contains("fail") && serves(fields, slot)) {
        return port(fields[1]);
      }
    }
    return -1;
  }

  /** Returns the port of a replica of the master on {@code masterPort}, as the nodes see it. */
  public int replicaOf(int masterPort) {
    String masterId = null;
    List<String> lines = clusterNodes();
    for (String line : lines) {
      String[] fields = line.split(" ");
      if (port(fields[1]) == masterPort) {
        masterId = fields[0];
      }
    }
    for (String line : lines) {
      String[] fields = line.split(" ");
      if (fields[3].equals(masterId) && fields[2].contains("slave")) {
        return port(fields[1]);
      }
    }
    throw new AssertionError("no replica of " + masterPort + " in " + lines);
  }

  /**
   * Waits until a live node other than {@code formerPort} is the master of {@code slot} for every
   * live node and each reports {@code cluster_state:ok}, and returns its port.
   */
  public int awaitNewMaster(int slot, int formerPort, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions() // a node that was just resumed may not answer at once
        .until(() -> everyLiveNodeAgrees(slot, formerPort));
    return masterOf(slot);
  }

  private boolean everyLiveNodeAgrees(int slot, int formerPort) {
    int master = -1;
    for (int port : livePorts()) {
      if (!call(port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
        return false;
      }
      int seen = masterSeenBy(port, slot);
      if (seen == formerPort || seen == -1 || (master != -1 && seen != master)) {
        return false;
      }
      master = seen;
    }
    return master != -1;
  }

  private int masterSeenBy(int port, int slot) {
    for (String line : call(port, "CLUSTER", "NODES").split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length > 2 && fields[2].contains("master") && serves(fields, slot)) {
        return fields[2].contains("fail") ? -1 : port(fields[1]);
      }
    }
    return -1;
  }

  /**
   * Waits until every replica of the master on {@code masterPort} has acknowledged all that the
   * master wrote so far (its {@code INFO replication} offsets).
   */
  public void awaitReplicated(int masterPort) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              String info = call(masterPort, "INFO", "replication");
              String offset = info.replaceAll("(?s).*master_repl_offset:(\\d+).*", "$1");
              List<String> replicas =
                  info.lines().filter(line -> line.matches("slave\\d+:.*")).toList();
              return !replicas.isEmpty()
                  && replicas.stream().allMatch(line -> line.contains(",offset=" + offset + ","));
            });
  }

  /**
   * Kills the node on {@code port} as a crash does ({@code kill -9}) and waits until it is gone.
   */
  public void kill(int port) throws IOException, InterruptedException {
    signal(port, "-KILL");
    Assertions.assertTrue(nodes.get(port).waitFor(10, TimeUnit.SECONDS), "kill -9 did not end it");
  }

  /** Stops the node on {@code port} with {@code SIGTERM} (a clean shutdown) and waits for it. */
  public void stop(int port) throws IOException, InterruptedException {
    signal(port, "-TERM");
    Assertions.assertTrue(nodes.get(port).waitFor(10, TimeUnit.SECONDS), "SIGTERM did not end it");
  }

  /**
   * Freezes the node on {@code port} ({@code SIGSTOP}): it answers nothing until {@link #resume}.
   */
  public void pause(int port) throws IOException, InterruptedException {
    signal(port, "-STOP");
  }

  /** Lets a {@linkplain #pause paused} node run again ({@code SIGCONT}). */
  public void resume(int port) throws IOException, InterruptedException {
    signal(port, "-CONT");
  }

  private void signal(int port, String signal) throws IOException, InterruptedException {
    Process node = nodes.get(port);
    Assertions.assertNotNull(node, "no node on port " + port);
    Process kill =
        new ProcessBuilder("kill", signal, Long.toString(node.pid()))
            .redirectErrorStream(true)
            .start();
    Assertions.assertTrue(kill.waitFor(5, TimeUnit.SECONDS), "kill " + signal + " did not end");
    Assertions.assertEquals(0, kill.exitValue(), "kill " + signal + " failed");
  }

  /**
   * Sends one command to the node on {@code port} and returns its reply: a status, an integer or a
   * bulk string as text, an error as {@code -ERR ...}, a null bulk string as null.
   *
   * @throws IllegalStateException if the node cannot be reached within a second
   */
  public String call(int port, String... command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(1000);
      StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
      for (String part : command) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        request.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = line(in);
      return switch (head.charAt(0)) {
        case '+', ':' -> head.substring(1);
        case '-' -> head;
        case '$' -> bulk(in, Integer.parseInt(head.substring(1)));
        default -> throw new IllegalStateException("unexpected reply " + head);
      };
    } catch (IOException e) {
      throw new IllegalStateException("node " + port + " unreachable: " + e, e);
    }
  }

  private static String bulk(InputStream in, int length) throws IOException {
    if (length < 0) {
      return null;
    }
    byte[] body = in.readNBytes(length + 2);
    return new String(body, 0, length, StandardCharsets.UTF_8);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private List<String> clusterNodes() {
    return List.of(call(livePorts().get(0), "CLUSTER", "NODES").split("\n")).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty())
        .collect(Collectors.toList());
  }

  private static boolean serves(String[] fields, int slot) {
    for (int i = 8; i < fields.length; i++) {
      String range = fields[i];
      if (range.startsWith("[")) {
        continue; // a slot being imported or migrated
      }
      int dash = range.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  private static int port(String address) {
    // 127.0.0.1:7000@17000 (Redis 7 may append ,hostname)
    String hostPort = address.split("@")[0];
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private void awaitHealthy() {
    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                nodes.keySet().stream()
                    .allMatch(
                        port -> {
                          String info = call(port, "INFO", "replication");
                          return call(port, "CLUSTER", "INFO").contains("cluster_state:ok")
                              && (info.contains("role:master")
                                  || info.contains("master_link_status:up"));
                        }));
  }

  /** Kills every node and deletes their files. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs or ran already.
    }
    try (var files = Files.walk(directory)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Left in the temporary directory; nothing runs there any more.
    }
  }

  private void killAll() {
    for (Process node : nodes.values()) {
      node.destroyForcibly();
    }
    for (Process node : nodes.values()) {
      try {
        node.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
