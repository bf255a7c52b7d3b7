package org.ssekit.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ssekit.testkit.RedisServer;

/**
 * The processes of one {@link ClusterScenario} part: a redis-server (none for a single node on its
 * in-memory hub), server nodes (each a {@link Server} JVM) and as many load-client JVMs ({@link
 * LoadClient}), each client holding streams to every node in turn. A node can be stopped
 * gracefully, killed with {@code SIGKILL} and started again (on a new port, which the clients are
 * told).
 *
 * <p><b>Thread safety:</b> driven by one orchestrating thread; {@link #callClients} and {@link
 * #callNodes} talk to the processes in parallel, each process from one thread.
 */
final class ClusterRig implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final int SOURCE_ADDRESSES = 8;

  private final String label;
  private final String contestant;
  private final String heap;
  private final int keepAliveSeconds;
  private final Path logs;
  private final RedisServer redis;
  private final Proc[] nodes;
  private final int[] ports;
  private final List<Proc> clients = new ArrayList<>();
  private final ExecutorService calls;
  private int starts;

  private ClusterRig(
      String label,
      String contestant,
      int count,
      String heap,
      int keepAliveSeconds,
      Path logs,
      RedisServer redis) {
    this.label = label;
    this.contestant = contestant;
    this.heap = heap;
    this.keepAliveSeconds = keepAliveSeconds;
    this.logs = logs;
    this.redis = redis;
    this.nodes = new Proc[count];
    this.ports = new int[count];
    this.calls = Executors.newFixedThreadPool(2 * count);
  }

  /**
   * Starts {@code count} nodes of {@code contestant} (on a fresh redis-server if {@code onRedis})
   * and as many load clients.
   *
   * @throws Exception if a process does not start or answer
   */
  static ClusterRig start(
      String label,
      String contestant,
      int count,
      boolean onRedis,
      String heap,
      int keepAliveSeconds,
      Path logs)
      throws Exception {
    RedisServer redis = onRedis ? RedisServer.start() : null;
    ClusterRig rig = new ClusterRig(label, contestant, count, heap, keepAliveSeconds, logs, redis);
    try {
      for (int i = 0; i < count; i++) {
        rig.nodes[i] = rig.launch(i); // all JVMs start at once; then each is waited for
      }
      for (int i = 0; i < count; i++) {
        rig.ports[i] = Integer.parseInt(rig.nodes[i].ready(START_TIMEOUT).get("port"));
      }
      StringBuilder ports = new StringBuilder();
      for (int port : rig.ports) {
        ports.append(ports.length() == 0 ? "" : ",").append(port);
      }
      for (int i = 0; i < count; i++) {
        rig.clients.add(
            new Proc(
                label + "-client" + i,
                Scenarios.command(
                    false,
                    0,
                    Scenarios.CLIENT_FLAGS,
                    System.getProperty("java.class.path"),
                    "client",
                    ports.toString(),
                    Integer.toString(SOURCE_ADDRESSES)),
                logs.resolve(label + "-client" + i + ".log")));
      }
      for (Proc client : rig.clients) {
        client.ready(START_TIMEOUT);
      }
      return rig;
    } catch (Exception | Error e) {
      rig.close();
      throw e;
    }
  }

  private Proc launch(int node) throws java.io.IOException {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "-XX:+UseG1GC",
                "-Xms" + heap,
                "-Xmx" + heap,
                "-XX:MaxDirectMemorySize=1g",
                "-D" + Server.NODE_PROPERTY + "=" + node));
    if (redis != null) {
      flags.add("-D" + ClusterScenario.REDIS_PROPERTY + "=" + redis.uri());
    }
    String name = label + "-node" + node + (starts++ < nodes.length ? "" : "-restart" + starts);
    return new Proc(
        name,
        Scenarios.command(
            false,
            0,
            flags,
            System.getProperty("java.class.path"),
            "server",
            contestant,
            Integer.toString(keepAliveSeconds)),
        logs.resolve(name + ".log"));
  }

  /** Returns the number of nodes (and of load clients). */
  int size() {
    return nodes.length;
  }

  /** Returns node {@code i}'s process. */
  Proc node(int i) {
    return nodes[i];
  }

  /** Sends {@code command} to every load client at once and returns their answers in order. */
  List<Map<String, String>> callClients(String command, Duration timeout) throws Exception {
    return callAll(clients, command, timeout);
  }

  /** Sends {@code command} to every node at once and returns their answers in order. */
  List<Map<String, String>> callNodes(String command, Duration timeout) throws Exception {
    return callAll(List.of(nodes), command, timeout);
  }

  private List<Map<String, String>> callAll(List<Proc> procs, String command, Duration timeout)
      throws Exception {
    List<Future<Map<String, String>>> futures = new ArrayList<>();
    for (Proc proc : procs) {
      futures.add(calls.submit(() -> proc.call(command, timeout)));
    }
    List<Map<String, String>> answers = new ArrayList<>();
    for (Future<Map<String, String>> future : futures) {
      try {
        answers.add(future.get());
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
      }
    }
    return answers;
  }

  /**
   * Stops node {@code i} as a deploy does: {@code quit}, which closes its hub (every stream gets a
   * jittered {@code retry:}) and its container; killed if that takes over a minute.
   */
  void stopGracefully(int i) {
    nodes[i].quit(Duration.ofMinutes(1));
  }

  /** Kills node {@code i} with {@code SIGKILL}: its streams end without a word. */
  void kill(int i) throws InterruptedException {
    nodes[i].kill();
  }

  /** Starts node {@code i} again and returns its new port. */
  int restart(int i) throws Exception {
    nodes[i] = launch(i);
    ports[i] = Integer.parseInt(nodes[i].ready(START_TIMEOUT).get("port"));
    return ports[i];
  }

  @Override
  public void close() {
    for (Proc client : clients) {
      client.close();
    }
    for (Proc node : nodes) {
      if (node != null) {
        node.close();
      }
    }
    calls.shutdownNow();
    if (redis != null) {
      try {
        redis.close();
      } catch (java.io.IOException e) {
        System.err.println(label + ": redis-server did not stop cleanly: " + e);
      }
    }
  }
}
