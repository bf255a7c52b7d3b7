package org.ssekit.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.client.ReceivedEvent;

/**
 * The leak check of private feeds on a real server: many users, each with private topics ({@code
 * users/<user>/...}) and shared rooms ({@code rooms/...}), connect with random selections of what
 * they may read, sometimes with an entry they may not read (which must be refused with {@code 403})
 * or without credentials ({@code 401}), read for a while, vanish and reconnect with their {@code
 * Last-Event-ID}, while publishers write to every user's topics. Every event received must belong
 * to a topic of the stream's own selection, and so to the user or a room: one that does not is a
 * leak.
 *
 * <p>The server under test must log users in with {@link BasicLoginFilter} and authorize with the
 * templates {@code users/{principal}/**} and {@code rooms/*} for authenticated users.
 *
 * <p><b>Several nodes.</b> Given several servers, each the node of a hub that shares its event log
 * with the others, publishers write on every hub, a user's first connection goes to a random
 * server, and every later one to the server after the one of its last stream (the other one, of
 * two), with the last {@code Last-Event-ID} it received: the run resumes across nodes.
 *
 * <p><b>Thread safety:</b> {@link #run} is called from one test thread; it runs its own threads.
 */
public final class PrivateFeedsLeakCheck {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int ROOMS = 4;

  /**
   * What a run did; every count is of the whole run.
   *
   * @param allowedStreams the streams answered {@code 200}
   * @param refusedStreams the requests refused as expected ({@code 401} or {@code 403})
   * @param events the events received, gap notices left out
   * @param resumedOnAnotherNode the streams opened with a {@code Last-Event-ID} on another server
   *     than the one of the user's previous stream (zero with one server)
   */
  public record Result(
      int allowedStreams, int refusedStreams, long events, int resumedOnAnotherNode) {}

  private final List<SseHub> hubs;
  private final List<Integer> ports;
  private final Function<List<String>, String> target;
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();
  private final AtomicInteger allowed = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicLong events = new AtomicLong();
  private final AtomicInteger resumedElsewhere = new AtomicInteger();

  private PrivateFeedsLeakCheck(
      List<SseHub> hubs, List<Integer> ports, Function<List<String>, String> target) {
    this.hubs = List.copyOf(hubs);
    this.ports = List.copyOf(ports);
    this.target = target;
    if (this.hubs.isEmpty() || this.ports.isEmpty()) {
      throw new IllegalArgumentException(
          "hubs and ports must not be empty: " + hubs.size() + " hubs, " + ports.size() + " ports");
    }
  }

  /**
   * Runs the check against the server on {@code port} whose streams publish from {@code hub}.
   *
   * @param target the request target (path and query) of a stream of the given selection entries
   * @param users the number of users, named {@code u0}, {@code u1}, ...
   * @param rounds the connections of each user
   * @param seed the seed of the random choices, to repeat a run
   * @return what the run did
   * @throws AssertionError listing the first leaks or wrong answers, if any
   * @throws Exception if the run could not complete
   */
  public static Result run(
      SseHub hub, int port, Function<List<String>, String> target, int users, int rounds, long seed)
      throws Exception {
    return run(List.of(hub), List.of(port), target, users, rounds, seed);
  }

  /**
   * Runs the check against several servers, the nodes of hubs that share one event log (see the
   * class comment): publishers write on every hub of {@code hubs}, streams connect to the servers
   * on {@code ports} in turn.
   *
   * @param hubs the hubs to publish on, one or more
   * @param ports the ports of the servers, one or more
   * @param target the request target (path and query) of a stream of the given selection entries
   * @param users the number of users, named {@code u0}, {@code u1}, ...
   * @param rounds the connections of each user
   * @param seed the seed of the random choices, to repeat a run
   * @return what the run did
   * @throws IllegalArgumentException if {@code hubs} or {@code ports} is empty
   * @throws AssertionError listing the first leaks or wrong answers, if any
   * @throws Exception if the run could not complete
   */
  public static Result run(
      List<SseHub> hubs,
      List<Integer> ports,
      Function<List<String>, String> target,
      int users,
      int rounds,
      long seed)
      throws Exception {
    return new PrivateFeedsLeakCheck(hubs, ports, target).run(users, rounds, seed);
  }

  private Result run(int users, int rounds, long seed) throws Exception {
    AtomicBoolean publishing = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(18);
    try {
      List<Future<?>> publishers = new ArrayList<>();
      for (int p = 0; p < 2; p++) {
        long publisherSeed = seed + p;
        SseHub hub = hubs.get(p % hubs.size());
        publishers.add(threads.submit(() -> publish(hub, users, publisherSeed, publishing)));
      }
      List<Future<?>> clients = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        String user = "u" + u;
        Random random = new Random(seed * 31 + u);
        clients.add(threads.submit(() -> connect(user, users, rounds, random)));
      }
      for (Future<?> client : clients) {
        client.get(120, TimeUnit.SECONDS);
      }
      publishing.set(false);
      for (Future<?> publisher : publishers) {
        publisher.get(30, TimeUnit.SECONDS);
      }
    } finally {
      publishing.set(false);
      threads.shutdownNow();
    }
    if (!violations.isEmpty()) {
      throw new AssertionError(
          violations.size()
              + " violations (seed "
              + seed
              + "), the first: "
              + violations.stream().limit(10).toList());
    }
    return new Result(allowed.get(), refused.get(), events.get(), resumedElsewhere.get());
  }

  private Void publish(SseHub hub, int users, long seed, AtomicBoolean publishing)
      throws Exception {
    Random random = new Random(seed);
    long count = 0;
    while (publishing.get()) {
      String topic =
          random.nextInt(4) == 0
              ? "rooms/r" + random.nextInt(ROOMS)
              : "users/u" + random.nextInt(users) + "/" + PRIVATE[random.nextInt(PRIVATE.length)];
      hub.publish(topic, ServerSentEvent.of(topic + "|" + count++))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      // Paces the load generator (about 500 events a second each); nothing waits on this.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    return null;
  }

  private static final String[] PRIVATE = {"inbox", "feed/a", "feed/b"};

  private Void connect(String user, int users, int rounds, Random random) throws Exception {
    String lastEventId = null;
    // The server of the user's last stream (random before the first); the next one is the one
    // after.
    int lastNode = random.nextInt(ports.size());
    List<String> selection = ownSelection(user, random);
    for (int round = 0; round < rounds; round++) {
      if (round > 0 && random.nextBoolean()) {
        selection = ownSelection(user, random);
      }
      int node = (lastNode + 1) % ports.size();
      int port = ports.get(node);
      int roll = random.nextInt(10);
      if (roll == 0) {
        expectRefusal(port, null, List.of("users/" + user + "/inbox"), 401, lastEventId);
      } else if (roll <= 2) {
        List<String> forbidden = new ArrayList<>(selection);
        forbidden.add(foreignEntry(user, users, random));
        expectRefusal(port, user, forbidden, 403, lastEventId);
      } else {
        boolean elsewhere = lastEventId != null && node != lastNode;
        lastEventId =
            read(port, user, selection, lastEventId, elsewhere, 100 + random.nextInt(300));
        lastNode = node;
      }
    }
    return null;
  }

  /**
   * Reads a stream of {@code selection} on {@code port} for {@code millis}; returns its last event
   * id. {@code elsewhere}: it resumes on another server than the user's previous stream.
   */
  private String read(
      int port,
      String user,
      List<String> selection,
      String lastEventId,
      boolean elsewhere,
      int millis)
      throws Exception {
    try (RawSseClient client =
        RawSseClient.get(port, target.apply(selection), headers(user, lastEventId))) {
      if (!client.awaitHeaders(WAIT) || client.status() != 200) {
        violations.add(user + " " + selection + ": status " + client.status() + ", not 200");
        return lastEventId;
      }
      allowed.incrementAndGet();
      if (elsewhere) {
        resumedElsewhere.incrementAndGet();
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      String last = lastEventId;
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        ReceivedEvent event = client.poll(Duration.ofNanos(left));
        if (event == null) {
          break;
        }
        if (SseHub.GAP_EVENT_TYPE.equals(event.type())) {
          continue; // a notice that events were missed: carries no topic's data
        }
        events.incrementAndGet();
        String topic = event.data().substring(0, Math.max(0, event.data().indexOf('|')));
        if (!(topic.startsWith("users/" + user + "/") || topic.startsWith("rooms/"))
            || !matchesAny(selection, topic)) {
          violations.add(user + " " + selection + " received " + event.data());
        }
        if (event.lastEventId() != null) {
          last = event.lastEventId();
        }
      }
      return last;
    }
  }

  private void expectRefusal(
      int port, String user, List<String> selection, int status, String lastEventId)
      throws Exception {
    try (RawSseClient client =
        RawSseClient.get(port, target.apply(selection), headers(user, lastEventId))) {
      if (!client.awaitHeaders(WAIT) || !client.awaitEnd(WAIT)) {
        violations.add(user + " " + selection + ": no answer");
        return;
      }
      if (client.status() != status || client.pendingEvents() != 0) {
        violations.add(
            user
                + " "
                + selection
                + ": "
                + client.status()
                + " "
                + client.body()
                + ", not "
                + status);
        return;
      }
      refused.incrementAndGet();
    }
  }

  private static Map<String, String> headers(String user, String lastEventId) {
    Map<String, String> headers = new java.util.HashMap<>();
    if (user != null) {
      headers.put("Authorization", BasicLoginFilter.basic(user));
    }
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    return headers;
  }

  private static List<String> ownSelection(String user, Random random) {
    String[] own = {
      "users/" + user + "/inbox",
      "users/" + user + "/**",
      "users/" + user + "/feed/*",
      "users/" + user + "/feed/a",
      "rooms/*",
      "rooms/r" + random.nextInt(ROOMS)
    };
    Set<String> chosen = new LinkedHashSet<>();
    int size = 1 + random.nextInt(3);
    while (chosen.size() < size) {
      chosen.add(own[random.nextInt(own.length)]);
    }
    return List.copyOf(chosen);
  }

  private static String foreignEntry(String user, int users, Random random) {
    String other = "u" + random.nextInt(users);
    if (other.equals(user)) {
      other = "u" + ((Integer.parseInt(user.substring(1)) + 1) % users);
    }
    String[] foreign = {
      "users/" + other + "/inbox", "users/" + other + "/**", "users/*/inbox", "users/**", "**"
    };
    return foreign[random.nextInt(foreign.length)];
  }

  /** The oracle: {@code *} is one segment, a last {@code **} any number of trailing ones. */
  static boolean matchesAny(List<String> entries, String topic) {
    String[] segments = topic.split("/", -1);
    for (String entry : entries) {
      String[] pattern = entry.split("/", -1);
      boolean any = pattern[pattern.length - 1].equals("**");
      int fixed = any ? pattern.length - 1 : pattern.length;
      if (any ? segments.length < fixed : segments.length != fixed) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < fixed && matches; i++) {
        matches = pattern[i].equals("*") || pattern[i].equals(segments[i]);
      }
      if (matches) {
        return true;
      }
    }
    return false;
  }
}
