package org.ssekit.reliability.faults;

import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.TomcatContainer;

/**
 * The two server nodes of a faults test: Jetty 12 ee11 and Tomcat 11 on ephemeral ports, each with
 * its hub on a {@link RedisEventLog} of one Redis (key prefix {@code faults:}), a {@link
 * BasicLoginFilter}, the stream servlet at {@code /events} and any other servlets. {@link #close()}
 * closes the hubs first (ending the streams, so that the containers stop at once), then the
 * containers.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
final class TwoNodes implements AutoCloseable {
  private final List<SseHub> hubs = new ArrayList<>();
  private final List<TestContainer> containers = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  /**
   * Starts both nodes on the Redis at {@code redisUri}, each container with at most {@code
   * maxThreads} request threads, serving {@code streams.apply(hub)} at {@code /events} and {@code
   * others} (path to servlet, built per hub).
   */
  TwoNodes(
      String redisUri,
      Duration commandTimeout,
      int maxThreads,
      Function<SseHub, HttpServlet> streams,
      Map<String, Function<SseHub, HttpServlet>> others)
      throws Exception {
    try {
      start(
          "faults-jetty",
          new JettyEe11Container(
              ContainerSettings.DEFAULTS.withThreads("faults-jetty", maxThreads).withoutH2c()),
          redisUri,
          commandTimeout,
          streams,
          others);
      start(
          "faults-tomcat",
          new TomcatContainer(
              ContainerSettings.DEFAULTS.withThreads("faults-tomcat", maxThreads).withoutH2c()),
          redisUri,
          commandTimeout,
          streams,
          others);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void start(
      String name,
      TestContainer container,
      String redisUri,
      Duration commandTimeout,
      Function<SseHub, HttpServlet> streams,
      Map<String, Function<SseHub, HttpServlet>> others)
      throws Exception {
    RedisEventLog log =
        RedisEventLog.builder(redisUri)
            .name(name)
            .keyPrefix("faults:")
            .commandTimeout(commandTimeout)
            .build();
    SseHub hub = SseHub.builder().name(name).eventLog(log).build();
    hubs.add(hub);
    containers.add(container);
    container.filter(new BasicLoginFilter(), true);
    container.servlet("/events", streams.apply(hub));
    for (Map.Entry<String, Function<SseHub, HttpServlet>> other : others.entrySet()) {
      container.servlet(other.getKey(), other.getValue().apply(hub));
    }
    ports.add(container.start());
  }

  /** Returns node {@code i}'s hub: 0 is Jetty's, 1 Tomcat's. */
  SseHub hub(int i) {
    return hubs.get(i);
  }

  /** Returns node {@code i}'s port: 0 is Jetty's, 1 Tomcat's. */
  int port(int i) {
    return ports.get(i);
  }

  /** Returns node {@code i}'s container name. */
  String name(int i) {
    return containers.get(i).name();
  }

  @Override
  public void close() throws Exception {
    for (SseHub hub : hubs) {
      hub.close();
    }
    for (TestContainer container : containers) {
      container.close();
    }
  }
}
