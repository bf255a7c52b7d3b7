package org.ssekit.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * One server-side SSE implementation under test, started in the server JVM on an ephemeral port and
 * serving one topic at {@code /events}.
 *
 * <p><b>Thread safety:</b> {@link #publish} is called from one publisher thread; the counters may
 * be read from any thread.
 */
interface Contestant {
  /** The contestants in the order of the results table. */
  List<String> NAMES =
      List.of(
          "floor-jetty",
          "floor-tomcat",
          "ssekit-jetty",
          "ssekit-tomcat",
          "ssekit-jaxrs-jetty",
          "jetty-es",
          "jersey-jetty",
          "jersey-tomcat");

  /**
   * Contestants run only when named, and by default in the hold scenario: Tomcat with smaller
   * buffers.
   */
  List<String> TUNED = List.of("floor-tomcat-tuned", "ssekit-tomcat-tuned");

  /**
   * The contestants that serve multi-topic streams at {@link TopicSpread#PATH} and publish with
   * {@link #publish(int, String)}: the multi-topic scenarios run only these (the others have no
   * such streams and are reported as n/a).
   */
  List<String> MULTI_TOPIC =
      List.of("ssekit-jetty", "ssekit-tomcat", "ssekit-jaxrs-jetty", "ssekit-tomcat-tuned");

  /**
   * Every contestant name: {@link #NAMES}, {@link #TUNED} and {@link SpringClassPath#CONTESTANTS}.
   */
  List<String> ALL =
      java.util.stream.Stream.of(NAMES, TUNED, SpringClassPath.CONTESTANTS)
          .flatMap(List::stream)
          .collect(java.util.stream.Collectors.toUnmodifiableList());

  /** Starts the container and returns its port. */
  int start() throws Exception;

  /** Sends {@code data} as one event to every connected client, as a user of this library would. */
  void publish(String data) throws Exception;

  /**
   * Sends {@code data} as one event to topic number {@code topic} ({@link TopicSpread#name}), that
   * is to every stream at {@link TopicSpread#PATH} whose selection holds it.
   *
   * @throws UnsupportedOperationException if this contestant is not one of {@link #MULTI_TOPIC}
   */
  default void publish(int topic, String data) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " has no multi-topic streams");
  }

  /**
   * Publishes {@code data} as one event to the topic named {@code topic} and returns a stage that
   * completes once the library acknowledged it (for ssekit: in the log and queued locally).
   *
   * @throws UnsupportedOperationException if the contestant has no acknowledged publish
   */
  default java.util.concurrent.CompletionStage<?> publishAcknowledged(String topic, String data) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " has no acknowledged publish");
  }

  /**
   * Returns the number of open streams as the server sees them, or -1 if the library does not tell.
   */
  int openStreams();

  /** Returns how many streams the server ended on its own (overflow, stall or a failed write). */
  long cutoffs();

  /** Returns a one-line description of the settings, for the results. */
  String settings();

  /** Returns true if the contestant replays missed events after a reconnect with Last-Event-ID. */
  default boolean replays() {
    return false;
  }

  /** Stops the container (and the hub, if there is one). */
  void stop() throws Exception;

  /**
   * Creates the contestant called {@code name}, with keep-alives (where it has them) every given
   * seconds.
   */
  static Contestant create(String name, int keepAliveSeconds) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "floor-jetty":
        return new FloorContestant(Container.jetty());
      case "floor-tomcat":
        return new FloorContestant(Container.tomcat());
      case "floor-tomcat-tuned":
        return new FloorContestant(Container.tomcatTuned());
      case "ssekit-jetty":
        return new SsekitServletContestant(Container.jetty(), keepAliveSeconds);
      case "ssekit-tomcat":
        return new SsekitServletContestant(Container.tomcat(), keepAliveSeconds);
      case ClusterScenario.CONTESTANT:
        return ClusterScenario.node(keepAliveSeconds);
      case "ssekit-tomcat-tuned":
        return new SsekitServletContestant(Container.tomcatTuned(), keepAliveSeconds);
      case "ssekit-jaxrs-jetty":
        return new SsekitJaxrsContestant(Container.jetty(), keepAliveSeconds);
      case "jetty-es":
        return new JettyEventSourceContestant(Container.jetty(), keepAliveSeconds);
      case "jersey-jetty":
        return new JerseyStockContestant(Container.jetty());
      case "jersey-tomcat":
        return new JerseyStockContestant(Container.tomcat());
      case "spring-emitter":
      case "ssekit-spring":
        return SpringClassPath.create(name, keepAliveSeconds);
      default:
        throw new IllegalArgumentException("unknown contestant: " + name + "; known: " + ALL);
    }
  }
}
