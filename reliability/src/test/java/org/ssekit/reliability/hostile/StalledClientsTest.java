package org.ssekit.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ssekit.reliability.Scale;
import org.ssekit.reliability.StreamLeaks;
import org.ssekit.testkit.RawSseClient;
import org.ssekit.testkit.ServerLogs;

/**
 * Clients that hold the server's resources without playing their part, on both adapters of each
 * container: streams opened and never read while events are published (their memory stays bounded
 * and the other clients keep receiving), and slowloris requests that send their head a byte at a
 * time and never finish it (the server keeps serving everyone else). Each test adds its row to
 * {@code target/reliability-hostile.md}.
 */
class StalledClientsTest {
  private static final int EVENT_BYTES = 8 * 1024;

  /**
   * The heap a stream that never reads may cost, beyond its queue: its request and response objects
   * and buffers (sse-jaxrs's README measures 16.6 KiB per idle JAX-RS stream and 7.2 KiB per
   * servlet one on Jetty), with a wide margin for what a stalled write keeps.
   */
  private static final long HEAP_PER_STREAM = 128 * 1024;

  /** What the JVM's heap moves by between two measurements for reasons of its own. */
  private static final long HEAP_NOISE = 64L * 1024 * 1024;

  @ParameterizedTest(name = "on {0}")
  @EnumSource(HostileServer.Kind.class)
  void streamsThatNeverReadCostABoundedAmountAndNoOtherClientNotices(HostileServer.Kind kind)
      throws Exception {
    int streams = Scale.current().pick(200, 1000);
    int events = Scale.current().pick(64, 128);
    List<RawSseClient> stalled = new ArrayList<>();
    ServerLogs logs = ServerLogs.record();
    long maxQueued = 0;
    long heapGrowth;
    int missed;
    String leaks;
    int subscribed;
    try (HostileServer server = HostileServer.start(kind)) {
      long heapBefore = heapAfterGc();
      try (Canary canary = Canary.start(server)) {
        for (int i = 0; i < streams; i++) {
          Way way = Way.values()[i % 2];
          stalled.add(RawSseClient.stalled(server.port(), way.open() + "?entry=flood"));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.hub.subscriberCount("flood") < streams && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        subscribed = server.hub.subscriberCount("flood");
        String data = "x".repeat(EVENT_BYTES);
        for (int i = 0; i < events; i++) {
          server.publish("flood", data);
          maxQueued = Math.max(maxQueued, server.hub.stats().bytesQueued());
          Thread.sleep(5);
        }
        for (int i = 0; i < 50; i++) {
          maxQueued = Math.max(maxQueued, server.hub.stats().bytesQueued());
          Thread.sleep(10);
        }
        heapGrowth = heapAfterGc() - heapBefore;
        missed = canary.finish();
      } finally {
        stalled.forEach(RawSseClient::close);
      }
      leaks = StreamLeaks.awaitNone(server.hub);
    } finally {
      logs.close();
    }
    long queueBound = (long) streams * (HostileServer.MAX_QUEUED_BYTES + EVENT_BYTES + 1024);
    long heapBound = streams * (HostileServer.MAX_QUEUED_BYTES + HEAP_PER_STREAM) + HEAP_NOISE;
    Tally tally = new Tally();
    for (int i = 0; i < subscribed; i++) {
      tally.count(200);
    }
    HostileFigures.record(
        streams + " streams never read, " + events + " x 8 KiB published",
        kind + ", both",
        tally,
        missed,
        leaks
            + "; queued at most "
            + maxQueued / 1024
            + " KiB (bound "
            + queueBound / 1024
            + "); heap +"
            + heapGrowth / (1024 * 1024)
            + " MiB after GC (bound "
            + heapBound / (1024 * 1024)
            + ")");
    assertThat(subscribed).as("streams subscribed").isEqualTo(streams);
    assertThat(maxQueued).as("bytes queued").isLessThanOrEqualTo(queueBound);
    assertThat(heapGrowth).as("heap growth").isLessThanOrEqualTo(heapBound);
    assertThat(missed).as("canary events missed").isZero();
    assertThat(leaks).isEqualTo(StreamLeaks.NONE);
    assertThat(logs.errors()).as("SEVERE log records").isEmpty();
  }

  @ParameterizedTest(name = "on {0}")
  @EnumSource(HostileServer.Kind.class)
  void slowlorisRequestsDoNotStopTheServerServingOthers(HostileServer.Kind kind) throws Exception {
    int connections = Scale.current().pick(200, 1000);
    List<Socket> sockets = new ArrayList<>();
    List<byte[]> heads = new ArrayList<>();
    ServerLogs logs = ServerLogs.record();
    Tally tally = new Tally();
    int missed;
    String leaks;
    List<String> failures = new ArrayList<>();
    try (HostileServer server = HostileServer.start(kind)) {
      try (Canary canary = Canary.start(server)) {
        for (int i = 0; i < connections; i++) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
          sockets.add(socket);
          Way way = Way.values()[i % 2];
          // A head that never ends: no blank line, and half of them stop inside the request line.
          String head =
              "GET " + way.open() + "?entry=rooms/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
          heads.add(
              head.substring(0, i % 4 == 0 ? 20 : head.length())
                  .getBytes(StandardCharsets.US_ASCII));
        }
        int longest = heads.stream().mapToInt(h -> h.length).max().orElse(0);
        for (int at = 0; at < longest; at++) {
          for (int i = 0; i < sockets.size(); i++) {
            if (at < heads.get(i).length) {
              write(sockets.get(i).getOutputStream(), heads.get(i)[at]);
            }
          }
          if (at % 10 == 0) {
            // Meanwhile, a well-behaved client on each way is served at once.
            for (Way way : Way.values()) {
              Answer answer =
                  RawExchange.send(
                      server.port(),
                      HostileCase.of(
                              "well-behaved",
                              way.open() + "?entry=rooms/ok",
                              List.of(),
                              Expect.stream())
                          .request(),
                      false);
              if (answer.status() != 200) {
                failures.add("a well-behaved request on " + way + " got " + answer.status());
              }
            }
          }
          Thread.sleep(20);
        }
        missed = canary.finish();
      } finally {
        for (Socket socket : sockets) {
          tally.count(socket.getInputStream().available() > 0 ? 400 : -1);
          socket.close();
        }
      }
      leaks = StreamLeaks.awaitNone(server.hub);
    } finally {
      logs.close();
    }
    HostileFigures.record(
        connections + " slowloris heads, a byte every 20 ms, never ended",
        kind + ", both",
        tally,
        missed,
        leaks);
    assertThat(failures).isEmpty();
    assertThat(missed).as("canary events missed").isZero();
    assertThat(leaks).isEqualTo(StreamLeaks.NONE);
    assertThat(logs.errors()).as("SEVERE log records").isEmpty();
  }

  private static void write(OutputStream out, byte b) throws IOException {
    out.write(b);
    out.flush();
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
