package org.ssekit.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ssekit.SseHub;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.reliability.ClientLedger;
import org.ssekit.reliability.FeedServlet;
import org.ssekit.reliability.PublishBook;
import org.ssekit.reliability.Publisher;
import org.ssekit.reliability.RunReport;
import org.ssekit.reliability.Scale;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.RedisServer;
import org.ssekit.testkit.TestContainer;
import org.ssekit.testkit.ThreadChecks;
import org.ssekit.testkit.TomcatContainer;

/**
 * Redis faults under continuous traffic: two nodes (Jetty 12 ee11 and Tomcat 11, each behind a
 * login filter and {@link FeedServlet#PRIVATE_FEEDS}) reach one {@code redis-server} through a
 * {@link FaultProxy}; signed-in clients on both nodes stream their private topic and a shared room
 * while a publisher on each node publishes to the room and to every user's topic. Redis is then
 * killed ({@code kill -9}) and restarted, frozen ({@code SIGSTOP}), restarted empty, and cut off by
 * the proxy (dropped, delayed, black-holed). Checked: publishes fail with {@link
 * org.ssekit.redis.RedisUnavailableException} within the command timeout (saying whether the event
 * may have been appended) and never hang; every client's {@link ClientLedger} holds no duplicate,
 * no reordering and no event of a forbidden topic, and every acknowledged event of its topics was
 * delivered or covered by a gap notice; after each fault every client receives new events again
 * (never silence); no stream ends; forbidden and anonymous requests are refused during the faults
 * too.
 */
@ExtendWith(RedisServer.Required.class)
class RedisFaultsTest {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(30);

  private final Scale scale = Scale.current();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<SseHub> hubs = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    // The hubs first: closing them ends the streams, so that the containers stop at once.
    for (SseHub hub : hubs) {
      hub.close();
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  private record Phase(String name, Fault fault) {}

  @FunctionalInterface
  private interface Fault {
    /** Injects the fault, lets it last, and heals it. */
    void run(Runnable whileFaulty) throws Exception;
  }

  @Test
  void publishesFailFastAndSubscribersNeverSeeDuplicatesReorderingsLeaksOrSilence()
      throws Exception {
    int clientsPerNode = scale.pick(20, 200);
    Duration outage = Duration.ofSeconds(scale.pick(3, 10));
    Duration pause = Duration.ofSeconds(scale.pick(3, 30));
    int users = 2 * clientsPerNode;

    RedisServer redis = RedisServer.start();
    resources.add(redis);
    FaultProxy proxy = FaultProxy.start(redis.port());
    resources.add(proxy);
    SseHub jettyHub = hub("faults-jetty", proxy);
    SseHub tomcatHub = hub("faults-tomcat", proxy);
    int jettyPort =
        serve(
            new JettyEe11Container(
                ContainerSettings.DEFAULTS.withThreads("faults-jetty", 64).withoutH2c()),
            jettyHub);
    int tomcatPort = serve(new TomcatContainer(ContainerSettings.DEFAULTS.withoutH2c()), tomcatHub);
    int[] ports = {jettyPort, tomcatPort};

    Subscribers subscribers = new Subscribers();
    resources.add(subscribers);
    List<String> topics = new ArrayList<>(List.of("rooms/lobby"));
    for (int u = 0; u < users; u++) {
      String user = "u" + u;
      topics.add("users/" + user + "/feed");
      subscribers.open(
          user,
          ports[u % 2],
          List.of("users/" + user + "/feed", "rooms/lobby"),
          topic -> topic.startsWith("users/" + user + "/") || topic.startsWith("rooms/"));
    }
    PublishBook book = new PublishBook();
    // Warm-up: the streams are live on both nodes once each received a room event ("w" is not in
    // the book: only events published after it are checked).
    PublishBook warmUp = new PublishBook();
    Publisher warming =
        new Publisher(
            "w", jettyHub, List.of("rooms/lobby", "rooms/lobby"), Duration.ofMillis(50), warmUp);
    long warm =
        subscribers.awaitAll(ledger -> ledger.receivedAfter("w", 0), Duration.ofSeconds(30));
    warming.stop();
    assertThat(warm).as("every stream live").isNotNegative();

    Duration interval = Duration.ofMillis(scale.pick(20, 10));
    List<Publisher> publishers =
        List.of(
            new Publisher("a", jettyHub, topics, interval, book),
            new Publisher("b", tomcatHub, topics, interval, book));
    RunReport report =
        new RunReport(
            "reliability-faults.md", "RedisFaultsTest: Redis faults under traffic, two nodes");
    report
        .line(
            "Nodes: jetty-ee11 and tomcat-11 on one redis-server through a TCP fault proxy;"
                + " commandTimeout "
                + COMMAND_TIMEOUT.toMillis()
                + " ms. Clients: "
                + users
                + " (half per node), each on users/<self>/feed + rooms/lobby behind"
                + " PrivateFeeds authorization. Publishers: one per node, one publish at a time,"
                + " pause "
                + interval.toMillis()
                + " ms, half to rooms/lobby, half to the users' topics in turn.")
        .line("")
        .line(
            "| phase | fault and recovery took | acknowledged | failed, not appended | failed, maybe appended |"
                + " other failures | gap notices (all clients) |"
                + " recovery: every client has new events (ms) |")
        .line("|---|---|---|---|---|---|---|---|");
    List<String> problems = new ArrayList<>();
    try {
      subscribers.collectFor(Duration.ofSeconds(1));
      List<Phase> phases =
          List.of(
              new Phase(
                  "kill -9, restart after " + outage.toSeconds() + " s",
                  whileFaulty -> {
                    redis.kill();
                    whileFaulty.run();
                    redis.restart();
                  }),
              new Phase(
                  "SIGSTOP " + pause.toSeconds() + " s, SIGCONT",
                  whileFaulty -> {
                    redis.pause();
                    try {
                      whileFaulty.run();
                    } finally {
                      redis.resume();
                    }
                  }),
              new Phase(
                  "restart empty (SIGTERM, start at once)",
                  whileFaulty -> {
                    redis.stop();
                    redis.restart();
                    whileFaulty.run();
                  }),
              new Phase(
                  "proxy drops connections " + outage.toSeconds() + " s",
                  whileFaulty -> {
                    proxy.drop();
                    whileFaulty.run();
                    proxy.pass();
                  }),
              new Phase(
                  "proxy delays 200 ms " + outage.toSeconds() + " s",
                  whileFaulty -> {
                    proxy.delay(200);
                    whileFaulty.run();
                    proxy.pass();
                  }),
              new Phase(
                  "proxy black hole " + outage.toSeconds() + " s",
                  whileFaulty -> {
                    proxy.blackHole();
                    whileFaulty.run();
                    proxy.pass();
                  }));
      for (Phase phase : phases) {
        long acknowledged = book.count(PublishBook.Outcome.ACKNOWLEDGED);
        long notAppended = book.count(PublishBook.Outcome.NOT_APPENDED);
        long maybe = book.count(PublishBook.Outcome.MAYBE_APPENDED);
        long other = book.count(PublishBook.Outcome.OTHER_FAILURE);
        int gaps = subscribers.ledgers().stream().mapToInt(ClientLedger::gaps).sum();
        Duration held = phase.name().startsWith("SIGSTOP") ? pause : outage;
        long start = System.nanoTime();
        phase
            .fault()
            .run(
                () -> {
                  try {
                    subscribers.collectFor(held.dividedBy(2));
                    // Authorization holds while the log is away: another user's feed, no login.
                    int forbidden = subscribers.status(ports[0], "u0", List.of("users/u1/feed"));
                    int anonymous = subscribers.status(ports[1], null, List.of("rooms/lobby"));
                    if (forbidden != 403 || anonymous != 401) {
                      problems.add(
                          phase.name()
                              + ": forbidden answered "
                              + forbidden
                              + ", anonymous "
                              + anonymous);
                    }
                    subscribers.collectFor(held.dividedBy(2));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        long healedSeqA = publishers.get(0).seq();
        long healedSeqB = publishers.get(1).seq();
        long recovery =
            subscribers.awaitAll(
                ledger ->
                    ledger.receivedAfter("a", healedSeqA) && ledger.receivedAfter("b", healedSeqB),
                RECOVERY);
        if (recovery < 0) {
          problems.add(phase.name() + ": some client got no new event within " + RECOVERY);
        }
        long faultMillis = (System.nanoTime() - start) / 1_000_000L;
        report.line(
            "| "
                + phase.name()
                + " | "
                + faultMillis
                + " ms | "
                + (book.count(PublishBook.Outcome.ACKNOWLEDGED) - acknowledged)
                + " | "
                + (book.count(PublishBook.Outcome.NOT_APPENDED) - notAppended)
                + " | "
                + (book.count(PublishBook.Outcome.MAYBE_APPENDED) - maybe)
                + " | "
                + (book.count(PublishBook.Outcome.OTHER_FAILURE) - other)
                + " | "
                + (subscribers.ledgers().stream().mapToInt(ClientLedger::gaps).sum() - gaps)
                + " | "
                + (recovery < 0 ? "none within " + RECOVERY.toSeconds() + " s" : recovery)
                + " |");
      }
      for (Publisher publisher : publishers) {
        publisher.stop();
      }
      long lastA = publishers.get(0).seq() - 1;
      long lastB = publishers.get(1).seq() - 1;
      subscribers.collectFor(Duration.ofSeconds(2));
      problems.addAll(subscribers.check(book));
      problems.addAll(subscribers.ended().stream().map(name -> name + ": stream ended").toList());
      for (PublishBook.Publish publish : book.all()) {
        if (publish.outcome() == PublishBook.Outcome.OTHER_FAILURE) {
          problems.add("publish " + publish.key() + " failed otherwise: " + publish.failure());
        }
      }
      long slowestNotAppended = book.maxAnswerMillis(PublishBook.Outcome.NOT_APPENDED);
      long slowestMaybe = book.maxAnswerMillis(PublishBook.Outcome.MAYBE_APPENDED);
      int events = subscribers.ledgers().stream().mapToInt(ClientLedger::events).sum();
      int minGaps = subscribers.ledgers().stream().mapToInt(ClientLedger::gaps).min().orElse(0);
      long maxLatency =
          subscribers.ledgers().stream().mapToLong(ClientLedger::maxLatencyMillis).max().orElse(0);
      report
          .line("")
          .line(
              "Totals: "
                  + book.all().size()
                  + " publishes (a up to "
                  + lastA
                  + ", b up to "
                  + lastB
                  + "): "
                  + book.count(PublishBook.Outcome.ACKNOWLEDGED)
                  + " acknowledged, "
                  + book.count(PublishBook.Outcome.NOT_APPENDED)
                  + " failed not appended (slowest answer "
                  + slowestNotAppended
                  + " ms), "
                  + book.count(PublishBook.Outcome.MAYBE_APPENDED)
                  + " failed maybe appended (slowest "
                  + slowestMaybe
                  + " ms), "
                  + book.count(PublishBook.Outcome.OTHER_FAILURE)
                  + " other failures. Clients received "
                  + events
                  + " events, every client at least "
                  + minGaps
                  + " gap notices; slowest delivery "
                  + maxLatency
                  + " ms (includes the outages). Streams ended: "
                  + subscribers.ended().size()
                  + ". Problems: "
                  + problems.size()
                  + (problems.isEmpty() ? "" : " (first: " + problems.get(0) + ")")
                  + ".");

      assertThat(problems).isEmpty();
      assertThat(book.count(PublishBook.Outcome.NOT_APPENDED))
          .as("Redis down and the proxy dropping: publishes refused as not appended")
          .isPositive();
      assertThat(book.count(PublishBook.Outcome.MAYBE_APPENDED))
          .as("Redis frozen and the proxy black-holing: publishes timed out, maybe appended")
          .isPositive();
      assertThat(slowestNotAppended)
          .as("a publish refused while Redis is away fails fast")
          .isLessThan(1_000);
      assertThat(slowestMaybe)
          .as("a publish Redis does not answer fails after about the command timeout")
          .isLessThan(COMMAND_TIMEOUT.toMillis() + 3_000);
      assertThat(minGaps)
          .as("Redis lost its data (kill -9, restart empty): every stream was told")
          .isPositive();
    } finally {
      report.write();
    }
  }

  private SseHub hub(String name, FaultProxy proxy) {
    RedisEventLog log =
        RedisEventLog.builder("redis://127.0.0.1:" + proxy.port())
            .name(name)
            .keyPrefix("faults:")
            .commandTimeout(COMMAND_TIMEOUT)
            .build();
    SseHub hub = SseHub.builder().name(name).eventLog(log).build();
    hubs.add(hub);
    return hub;
  }

  private int serve(TestContainer container, SseHub hub) throws Exception {
    resources.add(container);
    container.filter(new BasicLoginFilter(), true);
    container.servlet("/events", new FeedServlet(hub));
    return container.start();
  }
}
