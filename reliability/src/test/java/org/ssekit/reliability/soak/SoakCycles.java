package org.ssekit.reliability.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.ssekit.Retention;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.reliability.ClientLedger;
import org.ssekit.reliability.PublishBook;
import org.ssekit.reliability.Publisher;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.RawSseClient;

/**
 * The connect/disconnect cycles of a soak run, many at once, against one {@link SoakServer} while a
 * {@link Publisher} publishes to {@link #topics the lobby and every user's feed}. Each worker
 * thread is one user ({@code u0}, {@code u1}, ...), so that a user's topics see one cycle at a
 * time. A cycle is one of the {@link Kind kinds}: a stream of {@code rooms/lobby}, the user's feed
 * and the user's {@code big} topic that reads some events and then goes in one of four ways, and
 * (always after a stall or a broken large write, half the time otherwise) comes back with its last
 * {@code Last-Event-ID}; or a request for a topic of another user, which must be answered {@code
 * 403} with no event.
 *
 * <p>Every reading cycle keeps one {@link ClientLedger} over its streams, checked against the
 * publishes between the first and the last event it received: a resumed stream must carry on
 * exactly after its last id, so any event missing in between is lost, any one seen twice is
 * duplicated.
 *
 * <p><b>Thread safety:</b> {@link #run} is called from one thread; it runs its own workers.
 */
final class SoakCycles {
  /** How a cycle ends its first stream. */
  enum Kind {
    /** Reads, then closes the socket (FIN). */
    CLEAN_CLOSE,
    /** Reads, then resets the connection ({@code SO_LINGER} 0). */
    TCP_RESET,
    /** Reads, goes, comes back stalled (tiny window, never reads) and vanishes with unread data. */
    STALL_AND_VANISH,
    /** As a stall, but a 256 KiB event is written to it when it vanishes (reset). */
    MID_WRITE,
    /** Asks for another user's topic: {@code 403}, and not one event. */
    FORBIDDEN
  }

  /** The lobby every reading stream follows: the publisher's every other event. */
  static final String LOBBY = "rooms/lobby";

  static final int BIG_EVENT_BYTES = 256 * 1024;
  private static final String BIG = "big:";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  private final SoakServer server;
  private final Publisher publisher;
  private final PublishBook book;
  private final SoakTally tally;
  private final int users;
  private final StreamCloses closes;

  /**
   * Prepares cycles of {@code users} users on {@code server}, checked against {@code publisher}'s
   * {@code book}, counted in {@code tally}; {@code closes}, or null (the JAX-RS way), is the
   * server's record of the hub's close reasons, to say why a stream ended early.
   */
  SoakCycles(
      SoakServer server,
      Publisher publisher,
      PublishBook book,
      SoakTally tally,
      int users,
      StreamCloses closes) {
    this.server = server;
    this.publisher = publisher;
    this.book = book;
    this.tally = tally;
    this.users = users;
    this.closes = closes;
  }

  /** Returns the publisher's topics: the lobby first (every other event), then the users' feeds. */
  static List<String> topics(int users) {
    List<String> topics = new ArrayList<>();
    topics.add(LOBBY);
    for (int i = 0; i < users; i++) {
      topics.add(feed("u" + i));
    }
    return topics;
  }

  /**
   * Publishes {@code perUser} large events to every user's {@code big} topic: the log then holds as
   * many as its retention allows, as it will through the run, so that a baseline taken after it is
   * the run's steady state.
   */
  static void fillBigTopics(SseHub hub, int users, int perUser) throws Exception {
    for (int i = 0; i < users; i++) {
      for (int n = 0; n < perUser; n++) {
        hub.publish(big("u" + i), ServerSentEvent.of(bigData("fill-" + n)))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Publishes as many events as the default retention keeps ({@link Retention#maxEvents()}) to the
   * lobby and every user's feed, with data of the publisher's size: the log then holds what it will
   * hold through the run. Without it, the log's retention of these topics grows during the run (up
   * to 1,000 events per topic, kept 5 minutes) and reads as heap growth: about 10 MiB, +9.5% to
   * +13.2% in the full soaks of 2026-12-06.
   */
  static void fillSmallTopics(SseHub hub, int users) throws Exception {
    int perTopic = Retention.defaults().maxEvents();
    for (String topic : topics(users)) {
      CompletionStage<?> last = null;
      for (int n = 0; n < perTopic; n++) {
        last =
            hub.publish(
                topic, ServerSentEvent.of(PublishBook.data("fill:" + n, topic, System.nanoTime())));
      }
      last.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Runs {@code cycles} cycles, one worker per user, the kinds drawn from {@code seed}, and returns
   * when all are done.
   */
  void run(int cycles, long seed) throws Exception {
    AtomicInteger left = new AtomicInteger(cycles);
    ExecutorService workers = Executors.newFixedThreadPool(users);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        String user = "u" + i;
        Random random = new Random(seed * 31 + i);
        running.add(
            workers.submit(
                () -> {
                  while (left.getAndDecrement() > 0) {
                    cycle(user, random);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : running) {
        worker.get();
      }
    } finally {
      workers.shutdownNow();
    }
  }

  private void cycle(String user, Random random) throws InterruptedException {
    int draw = random.nextInt(100);
    Kind kind =
        draw < 25
            ? Kind.CLEAN_CLOSE
            : draw < 50
                ? Kind.TCP_RESET
                : draw < 65 ? Kind.STALL_AND_VANISH : draw < 80 ? Kind.MID_WRITE : Kind.FORBIDDEN;
    List<RawSseClient> opened = new ArrayList<>();
    try {
      if (kind == Kind.FORBIDDEN) {
        forbidden(user, random, opened);
      } else {
        read(kind, user, random, opened);
      }
      tally.cycle(kind);
    } catch (AssertionError | java.io.IOException e) {
      tally.failedCycle(kind + " cycle of " + user + ": " + e.getMessage());
    } finally {
      opened.forEach(RawSseClient::close);
    }
  }

  private void read(Kind kind, String user, Random random, List<RawSseClient> opened)
      throws java.io.IOException, InterruptedException {
    List<String> entries = List.of(LOBBY, feed(user), big(user));
    Reader reader = new Reader(user, Set.of(LOBBY, feed(user)));
    RawSseClient first = open(entries, user, null, opened, reader.streamIds);
    int wanted = 1 + random.nextInt(20);
    reader.readUntil(first, () -> reader.ledger.events() >= wanted, wanted + " events");
    switch (kind) {
      case CLEAN_CLOSE -> first.close();
      case TCP_RESET -> first.resetClose();
      default -> {
        first.resetClose();
        RawSseClient stalled = stalled(entries, user, reader.lastId, opened);
        if (kind == Kind.MID_WRITE) {
          publishBig(user);
        }
        Thread.sleep(kind == Kind.MID_WRITE ? 20 + random.nextInt(40) : 50 + random.nextInt(200));
        stalled.resetClose();
      }
    }
    if (kind == Kind.STALL_AND_VANISH || kind == Kind.MID_WRITE || random.nextBoolean()) {
      long after = publisher.seq();
      int bigBefore = reader.bigEvents;
      RawSseClient resumed = open(entries, user, reader.lastId, opened, reader.streamIds);
      reader.readUntil(
          resumed,
          () ->
              reader.ledger.receivedAfter(publisher.name(), after)
                  && (kind != Kind.MID_WRITE || reader.bigEvents > bigBefore),
          "an event published after resuming");
      resumed.close();
      tally.resumed.increment();
      if (kind == Kind.MID_WRITE) {
        tally.bigEventsResent.increment();
        if (reader.bigEvents - bigBefore != 1) {
          tally.otherFault(
              user
                  + ": the broken 256 KiB event came "
                  + (reader.bigEvents - bigBefore)
                  + " times");
        }
      }
    }
    check(reader);
  }

  private void check(Reader reader) {
    ClientLedger ledger = reader.ledger;
    tally.eventsChecked.add(ledger.events());
    if (ledger.gaps() > 0) {
      tally.gapNotices.add(ledger.gaps());
      tally.otherFault(reader.user + ": " + ledger.gaps() + " gap notices, though nothing expired");
    }
    String name = publisher.name();
    long firstSeq = ledger.firstSeq(name);
    for (String finding : ledger.check(book.between(name, firstSeq, ledger.lastSeq(name)))) {
      tally.ledgerFinding(finding);
    }
  }

  private void forbidden(String user, Random random, List<RawSseClient> opened)
      throws java.io.IOException, InterruptedException {
    int self = Integer.parseInt(user.substring(1));
    String other = "u" + ((self + 1 + random.nextInt(users - 1)) % users);
    List<String> entries =
        switch (random.nextInt(3)) {
          case 0 -> List.of(feed(other));
          case 1 -> List.of(LOBBY, feed(other));
          default -> List.of(feed(user), "users/*/feed");
        };
    RawSseClient client = open(entries, user, null, opened, new IdentityHashMap<>());
    if (client.status() != 403) {
      throw new AssertionError(entries + " answered " + client.status() + ", not 403");
    }
    if (!client.awaitEnd(WAIT)) {
      throw new AssertionError(entries + ": the 403 answer did not end within " + WAIT);
    }
    int events = client.pendingEvents();
    if (events > 0 || client.body().contains("|users/" + other + "/")) {
      tally.forbiddenDelivered(
          Math.max(events, 1), user + " got " + events + " events with 403: " + client.body());
    }
    tally.forbiddenRefused.increment();
  }

  /** Opens a stream, its id (see {@link StreamCloses}) kept in {@code ids}. */
  private RawSseClient open(
      List<String> entries,
      String user,
      String lastId,
      List<RawSseClient> opened,
      Map<RawSseClient, String> ids)
      throws java.io.IOException, InterruptedException {
    Map<String, String> headers = headers(user, lastId);
    String id = closes == null ? user + "-?" : closes.nextId(user);
    headers.put(StreamCloses.HEADER, id);
    RawSseClient client = RawSseClient.get(server.port(), server.target(entries, ""), headers);
    opened.add(client);
    ids.put(client, id);
    if (!client.awaitHeaders(WAIT)) {
      throw new AssertionError(entries + ": no answer within " + WAIT);
    }
    return client;
  }

  private RawSseClient stalled(
      List<String> entries, String user, String lastId, List<RawSseClient> opened)
      throws java.io.IOException {
    RawSseClient client =
        RawSseClient.stalled(server.port(), server.target(entries, ""), headers(user, lastId));
    opened.add(client);
    return client;
  }

  private static Map<String, String> headers(String user, String lastId) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", BasicLoginFilter.basic(user));
    if (lastId != null) {
      headers.put("Last-Event-ID", lastId);
    }
    return headers;
  }

  private void publishBig(String user) throws InterruptedException {
    try {
      server
          .hub()
          .publish(big(user), ServerSentEvent.of(bigData(user)))
          .toCompletableFuture()
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("publishing the 256 KiB event of " + user + " failed: " + e, e);
    }
  }

  private static String bigData(String tag) {
    String head = BIG + tag + ":";
    return head + "x".repeat(BIG_EVENT_BYTES - head.length());
  }

  static String feed(String user) {
    return "users/" + user + "/feed";
  }

  static String big(String user) {
    return "users/" + user + "/big";
  }

  /** Reads a cycle's streams into its ledger, remembering the last event id, as browsers do. */
  private final class Reader {
    final String user;
    final ClientLedger ledger;
    final Map<RawSseClient, String> streamIds = new IdentityHashMap<>();
    String lastId;
    int bigEvents;

    Reader(String user, Set<String> topics) {
      this.user = user;
      this.ledger =
          new ClientLedger(
              user,
              topics::contains,
              topic -> topic.startsWith("users/" + user + "/") || topic.startsWith("rooms/"));
    }

    void readUntil(RawSseClient client, BooleanSupplier done, String what)
        throws InterruptedException {
      if (client.status() != 200) {
        throw new AssertionError(user + ": status " + client.status() + ", not 200");
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!done.getAsBoolean()) {
        ReceivedEvent event = client.poll(POLL);
        if (event != null) {
          accept(event);
        } else if (System.nanoTime() > deadline) {
          throw new AssertionError(user + ": " + what + " not received within " + WAIT);
        } else if (client.awaitEnd(Duration.ZERO) && client.pendingEvents() == 0) {
          String id = streamIds.get(client);
          throw new AssertionError(
              user
                  + ": the stream ended early (stream "
                  + id
                  + ", waiting for "
                  + what
                  + ", hub close reason "
                  + (closes == null ? "unknown" : closes.reason(id, CLOSE_WAIT))
                  + "): "
                  + client.failure());
        }
      }
    }

    private void accept(ReceivedEvent event) {
      if (!event.lastEventId().isEmpty()) {
        lastId = event.lastEventId();
      }
      if (!SseHub.GAP_EVENT_TYPE.equals(event.type()) && event.data().startsWith(BIG)) {
        bigEvents++;
        if (event.data().length() != BIG_EVENT_BYTES) {
          tally.otherFault(user + ": a 256 KiB event of " + event.data().length() + " chars");
        }
        return;
      }
      ledger.add(event, System.nanoTime());
    }
  }
}
