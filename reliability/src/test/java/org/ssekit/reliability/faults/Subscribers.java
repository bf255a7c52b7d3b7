package org.ssekit.reliability.faults;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ssekit.client.ReceivedEvent;
import org.ssekit.reliability.ClientLedger;
import org.ssekit.reliability.PublishBook;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.HttpSseClient;

/**
 * The clients of one test: streams over real HTTP/1.1 (the JDK's client, signed in with HTTP Basic
 * for {@link BasicLoginFilter}), each with its {@link ClientLedger}. The test thread moves what
 * arrived into the ledgers with {@link #collect()}, so that ledgers are only ever touched by that
 * thread.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
final class Subscribers implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private record Client(String name, HttpSseClient stream, ClientLedger ledger) {}

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final List<Client> clients = new ArrayList<>();

  /**
   * Opens a stream of {@code topics} on {@code port} as {@code user} and returns its ledger; the
   * user may read the topics {@code allowed} accepts.
   *
   * @throws AssertionError if the stream is not answered {@code 200} within 10 s
   */
  ClientLedger open(String user, int port, List<String> topics, Predicate<String> allowed)
      throws Exception {
    HttpSseClient stream = HttpSseClient.get(http, request(port, user, topics));
    int status = stream.awaitHeaders(TIMEOUT).statusCode();
    if (status != 200) {
      stream.close();
      throw new AssertionError(user + " on port " + port + ": status " + status + ", not 200");
    }
    ClientLedger ledger = new ClientLedger(user + "@" + port, topics::contains, allowed);
    clients.add(new Client(user + "@" + port, stream, ledger));
    return ledger;
  }

  /**
   * Asks for a stream of {@code topics} on {@code port} as {@code user} (anonymous if null) and
   * returns the status it is answered with, then drops it.
   */
  int status(int port, String user, List<String> topics) throws Exception {
    HttpSseClient stream = HttpSseClient.get(http, request(port, user, topics));
    try {
      return stream.awaitHeaders(TIMEOUT).statusCode();
    } finally {
      stream.close();
    }
  }

  /**
   * Asks for a stream of {@code topics} on {@code port} as {@code user} with {@code query} added to
   * the request's query string, and returns it without waiting or checking: the caller closes it.
   */
  HttpSseClient attempt(int port, String user, List<String> topics, String query) {
    HttpRequest plain = request(port, user, topics);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(plain.uri() + "&" + query))
            .header("Accept", "text/event-stream");
    plain.headers().firstValue("Authorization").ifPresent(v -> request.header("Authorization", v));
    return HttpSseClient.get(http, request.build());
  }

  private static HttpRequest request(int port, String user, List<String> topics) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + port
                        + "/events?topics="
                        + URLEncoder.encode(String.join(",", topics), StandardCharsets.UTF_8)))
            .header("Accept", "text/event-stream");
    if (user != null) {
      request.header("Authorization", BasicLoginFilter.basic(user));
    }
    return request.build();
  }

  /** Moves every event that arrived into its client's ledger. */
  void collect() {
    for (Client client : clients) {
      List<ReceivedEvent> arrived = client.stream().drain();
      long now = System.nanoTime();
      for (ReceivedEvent event : arrived) {
        client.ledger().add(event, now);
      }
    }
  }

  /** Collects for {@code duration}. */
  void collectFor(Duration duration) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    do {
      collect();
      Thread.sleep(20);
    } while (System.nanoTime() < end);
    collect();
  }

  /**
   * Collects until every ledger satisfies {@code condition} and returns how long it took, in
   * milliseconds; -1 if some did not within {@code timeout}.
   */
  long awaitAll(Predicate<ClientLedger> condition, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (true) {
      collect();
      if (ledgers().stream().allMatch(condition)) {
        return (System.nanoTime() - start) / 1_000_000L;
      }
      if (System.nanoTime() > end) {
        return -1;
      }
      Thread.sleep(10);
    }
  }

  /** Returns the ledgers, in the order the streams were opened. */
  List<ClientLedger> ledgers() {
    return clients.stream().map(Client::ledger).toList();
  }

  /** Returns the names of the clients whose stream the server ended or that failed. */
  List<String> ended() {
    return clients.stream().filter(c -> c.stream().ended().isDone()).map(Client::name).toList();
  }

  /** Returns every client's violations against {@code book}. */
  List<String> check(PublishBook book) {
    collect();
    List<String> found = new ArrayList<>();
    for (Client client : clients) {
      found.addAll(client.ledger().check(book));
    }
    return found;
  }

  /** Drops every stream. */
  @Override
  public void close() {
    for (Client client : clients) {
      client.stream().close();
    }
  }
}
