package org.ssekit.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.reliability.ClientLedger;
import org.ssekit.reliability.FeedServlet;
import org.ssekit.reliability.PublishBook;
import org.ssekit.reliability.Publisher;
import org.ssekit.reliability.RunReport;
import org.ssekit.reliability.Scale;
import org.ssekit.testkit.RedisServer;
import org.ssekit.testkit.ThreadChecks;

/**
 * The container's request thread pool exhausted by slow application requests: each node (Jetty 12
 * ee11 and Tomcat 11 on one Redis) is capped at {@value #MAX_THREADS} request threads, and three
 * times (smoke: twice) as many requests to a {@link SlowServlet} that holds its thread are sent to
 * each; the streams opened before keep flowing: every client receives the events published
 * meanwhile, in order, without a gap, and no stream ends. A plain request sent meanwhile waits (the
 * pool really is exhausted).
 */
@ExtendWith(RedisServer.Required.class)
class WorkerPoolExhaustionTest {
  private static final int MAX_THREADS = 10;

  private final Scale scale = Scale.current();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  @Test
  void openStreamsKeepFlowingWhileSlowRequestsHoldEveryRequestThread() throws Exception {
    int clientsPerNode = scale.pick(10, 100);
    Duration hold = Duration.ofSeconds(scale.pick(3, 20));
    RedisServer redis = RedisServer.start();
    resources.add(redis);
    List<SlowServlet> slow = List.of(new SlowServlet(hold), new SlowServlet(hold));
    List<SlowServlet> handedOut = new ArrayList<>(slow);
    TwoNodes nodes =
        new TwoNodes(
            redis.uri(),
            Duration.ofSeconds(2),
            MAX_THREADS,
            FeedServlet::new,
            Map.of("/slow", hub -> handedOut.remove(0)));
    resources.add(nodes);
    Subscribers subscribers = new Subscribers();
    resources.add(subscribers);
    List<String> topics = new ArrayList<>(List.of("rooms/lobby"));
    for (int u = 0; u < 2 * clientsPerNode; u++) {
      String user = "u" + u;
      topics.add("users/" + user + "/feed");
      subscribers.open(
          user,
          nodes.port(u % 2),
          List.of("users/" + user + "/feed", "rooms/lobby"),
          topic -> topic.startsWith("users/" + user + "/") || topic.startsWith("rooms/"));
    }
    PublishBook warmUp = new PublishBook();
    Publisher warming =
        new Publisher(
            "w",
            nodes.hub(0),
            List.of("rooms/lobby", "rooms/lobby"),
            Duration.ofMillis(50),
            warmUp);
    long warm =
        subscribers.awaitAll(ledger -> ledger.receivedAfter("w", 0), Duration.ofSeconds(30));
    warming.stop();
    assertThat(warm).as("every stream live").isNotNegative();

    PublishBook book = new PublishBook();
    Duration interval = Duration.ofMillis(20);
    List<Publisher> publishers =
        List.of(
            new Publisher("a", nodes.hub(0), topics, interval, book),
            new Publisher("b", nodes.hub(1), topics, interval, book));
    RunReport report =
        new RunReport(
            "reliability-faults.md", "WorkerPoolExhaustionTest: request threads exhausted");
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<String> problems = new ArrayList<>();
    try {
      subscribers.collectFor(Duration.ofSeconds(1));
      long baseline =
          subscribers.ledgers().stream().mapToLong(ClientLedger::maxLatencyMillis).max().orElse(0);
      subscribers.ledgers().forEach(ClientLedger::resetMaxLatency);

      int slowPerNode = scale.pick(2, 3) * MAX_THREADS;
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int node = 0; node < 2; node++) {
        for (int i = 0; i < slowPerNode; i++) {
          answers.add(
              http.sendAsync(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + nodes.port(node) + "/slow"))
                      .timeout(hold.multipliedBy(8))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
        }
      }
      long exhaustedAt = System.nanoTime();
      subscribers.collectFor(hold.dividedBy(4));
      long fromA = publishers.get(0).seq();
      long fromB = publishers.get(1).seq();
      List<String> probes = new ArrayList<>();
      for (int node = 0; node < 2; node++) {
        probes.add(nodes.name(node) + ": " + probe(http, nodes.port(node), hold.dividedBy(4)));
      }
      subscribers.collectFor(hold.dividedBy(4));
      long flowing =
          subscribers.awaitAll(
              ledger -> ledger.receivedAfter("a", fromA) && ledger.receivedAfter("b", fromB),
              hold.dividedBy(4));
      long stillHeld = slow.get(0).active() + slow.get(1).active();
      long during =
          subscribers.ledgers().stream().mapToLong(ClientLedger::maxLatencyMillis).max().orElse(0);
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .get(hold.multipliedBy(8).toMillis(), TimeUnit.MILLISECONDS);
      long drainedMillis = (System.nanoTime() - exhaustedAt) / 1_000_000L;
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        if (answer.get().statusCode() != 200) {
          problems.add("a slow request answered " + answer.get().statusCode());
        }
      }
      for (Publisher publisher : publishers) {
        publisher.stop();
      }
      subscribers.collectFor(Duration.ofSeconds(1));
      problems.addAll(subscribers.check(book));
      problems.addAll(subscribers.ended().stream().map(name -> name + ": stream ended").toList());
      int gaps = subscribers.ledgers().stream().mapToInt(ClientLedger::gaps).sum();
      int events = subscribers.ledgers().stream().mapToInt(ClientLedger::events).sum();
      report
          .line(
              "Nodes: jetty-ee11 and tomcat-11 (maxThreads "
                  + MAX_THREADS
                  + ") on one redis-server; "
                  + 2 * clientsPerNode
                  + " clients (half per node); publishers on both nodes every "
                  + interval.toMillis()
                  + " ms; "
                  + slowPerNode
                  + " requests per node each holding its thread "
                  + hold.toMillis()
                  + " ms.")
          .line("")
          .line(
              "- requests held at once: jetty-ee11 "
                  + slow.get(0).mostActive()
                  + ", tomcat-11 "
                  + slow.get(1).mostActive()
                  + "; still held while the streams were checked: "
                  + stillHeld
                  + "; all slow requests answered after "
                  + drainedMillis
                  + " ms")
          .line("- a plain request sent meanwhile: " + String.join("; ", probes))
          .line(
              "- every client had events of both publishers published after the pool filled: "
                  + (flowing < 0 ? "no" : "yes, " + flowing + " ms after checking")
                  + "; slowest delivery before: "
                  + baseline
                  + " ms, while exhausted: "
                  + during
                  + " ms")
          .line(
              "- publishes: "
                  + book.count(PublishBook.Outcome.ACKNOWLEDGED)
                  + " acknowledged, "
                  + (book.all().size() - book.count(PublishBook.Outcome.ACKNOWLEDGED))
                  + " failed; events received "
                  + events
                  + ", gap notices "
                  + gaps
                  + ", streams ended "
                  + subscribers.ended().size()
                  + "; problems "
                  + problems.size()
                  + (problems.isEmpty() ? "" : " (first: " + problems.get(0) + ")"));

      assertThat(problems).isEmpty();
      assertThat(stillHeld)
          .as("the pools were still exhausted while the streams were checked")
          .isPositive();
      assertThat(probes)
          .as("a plain request waited for a thread")
          .allMatch(p -> !p.contains("at once"));
      assertThat(flowing).as("the streams kept flowing").isNotNegative();
      assertThat(gaps).isZero();
      assertThat(book.count(PublishBook.Outcome.ACKNOWLEDGED)).isEqualTo(book.all().size());
    } finally {
      report.write();
    }
  }

  /** Sends a plain request and says how long it waited for its answer. */
  private static String probe(HttpClient http, int port, Duration patience)
      throws InterruptedException {
    long start = System.nanoTime();
    try {
      http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?ping"))
              .timeout(patience)
              .build(),
          HttpResponse.BodyHandlers.ofString());
      long millis = (System.nanoTime() - start) / 1_000_000L;
      return millis < patience.toMillis() / 2
          ? "answered at once (" + millis + " ms)"
          : "answered after " + millis + " ms";
    } catch (HttpTimeoutException waited) {
      return "no answer within " + patience.toMillis() + " ms";
    } catch (java.io.IOException e) {
      return "failed: " + e;
    }
  }
}
