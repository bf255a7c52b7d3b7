package org.ssekit.benchmarks;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import org.ssekit.HubStats;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.SseServlet;

/**
 * ssekit's {@code SseServlet} with the hub's defaults except the keep-alive period: the
 * single-topic streams at {@code /events}, and at {@link TopicSpread#PATH} one stream of the topics
 * its request names ({@code ?topic=3&topic=4...}), admitted as a {@link org.ssekit.Selection}.
 *
 * <p><b>Thread safety:</b> thread-safe, as the hub is.
 */
final class SsekitServletContestant implements Contestant {
  private final Container container;
  private final SseHub hub;
  private final Map<String, String> initParameters;

  SsekitServletContestant(Container container, int keepAliveSeconds) {
    this(
        container,
        SseHub.builder().name("bench").keepAlive(Duration.ofSeconds(keepAliveSeconds)).build(),
        Map.of());
  }

  /**
   * The servlet on a given hub (a cluster node's, on a shared log), with the servlets' init
   * parameters (a cluster node answers refusals {@code 503}).
   */
  SsekitServletContestant(Container container, SseHub hub, Map<String, String> initParameters) {
    this.container = container;
    this.hub = hub;
    this.initParameters = Map.copyOf(initParameters);
  }

  /** The hub settings every ssekit contestant reports. */
  static String hubSettings(SseHub hub) {
    SseHub.Config config = hub.config();
    return "keepAlive "
        + config.keepAlive().toSeconds()
        + " s, stallTimeout "
        + config.stallTimeout().toSeconds()
        + " s, maxQueuedBytes "
        + config.maxQueuedBytes()
        + ", overflow "
        + config.overflowPolicy()
        + ", deliveryThreads "
        + config.deliveryThreads();
  }

  /** Returns the streams {@code hub} cut off: overflow and stall disconnects. */
  static long cutoffs(SseHub hub) {
    HubStats stats = hub.stats();
    return stats.overflowDisconnects() + stats.stallDisconnects();
  }

  @Override
  public int start() throws Exception {
    return container
        .servlet(
            "/events",
            new SseServlet(hub) {
              private static final long serialVersionUID = 1L;

              @Override
              protected Admission admit(HttpServletRequest request) {
                return Admission.accept(Server.TOPIC);
              }
            },
            initParameters)
        .servlet(
            TopicSpread.PATH,
            new SseServlet(hub) {
              private static final long serialVersionUID = 1L;

              @Override
              protected Admission admit(HttpServletRequest request) {
                try {
                  return Admission.accept(
                      TopicSpread.selection(request.getParameterValues(TopicSpread.PARAMETER)));
                } catch (IllegalArgumentException e) {
                  return Admission.refuse(400, e.getMessage());
                }
              }
            },
            initParameters)
        .start();
  }

  @Override
  public void publish(String data) {
    hub.publish(Server.TOPIC, ServerSentEvent.of(data));
  }

  @Override
  public void publish(int topic, String data) {
    hub.publish(TopicSpread.name(topic), ServerSentEvent.of(data));
  }

  @Override
  public java.util.concurrent.CompletionStage<?> publishAcknowledged(String topic, String data) {
    return hub.publish(topic, ServerSentEvent.of(data));
  }

  @Override
  public int openStreams() {
    return hub.stats().subscribers();
  }

  @Override
  public long cutoffs() {
    return cutoffs(hub);
  }

  @Override
  public boolean replays() {
    return true;
  }

  @Override
  public String settings() {
    return "SseServlet, " + hubSettings(hub) + "; " + container.settings();
  }

  @Override
  public void stop() throws Exception {
    hub.close();
    container.stop();
  }
}
