package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.CloseReason;
import org.ssekit.EventLog;
import org.ssekit.HubStats;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;
import org.ssekit.SubscriptionRefusedException;
import org.ssekit.SubscriptionRefusedException.Reason;

/**
 * The {@link SseHub}: a map of topics to subscribers, fed by its {@link EventLog}.
 *
 * <p>Threads: a fixed pool of delivery threads runs subscribers' write loops; one scheduler thread
 * sweeps every subscriber at a fixed tick for keep-alives and stalls. No thread or timer exists per
 * subscriber.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RealSseHub implements SseHub, EventLog.Sink {
  private static final System.Logger LOG = System.getLogger(RealSseHub.class.getName());

  private final HubConfig config;
  private final EventLog log;
  private final SubscriptionSettings subscriptionSettings;
  private final HubCounters counters = new HubCounters();
  private final HubTopics topics;
  private final AtomicInteger subscriberCount = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object drained = new Object();
  private final HubThreads threads;
  private final ThreadPoolExecutor delivery;
  private final ReadyQueue ready;
  private final ScheduledThreadPoolExecutor scheduler;

  /**
   * Starts a hub with {@code config} over {@code log}. Use {@link SseHub#builder()}.
   *
   * @throws IllegalStateException if the log was already started
   */
  public RealSseHub(HubConfig config, EventLog log) {
    this.config = config;
    this.log = Objects.requireNonNull(log, "log");
    this.topics = new HubTopics(log, config.name());
    this.subscriptionSettings =
        new SubscriptionSettings(
            config.maxQueuedBytes(),
            config.overflowPolicy(),
            config.unknownIdPolicy(),
            config.initialRetry() == null
                ? new byte[0]
                : EventStreamEncoder.encodeRetry(config.initialRetry()),
            config.keepAlive().toNanos(),
            config.stallTimeout().toNanos());
    this.threads = new HubThreads("ssekit-" + config.name());
    this.delivery =
        new ThreadPoolExecutor(
            config.deliveryThreads(),
            config.deliveryThreads(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> threads.newThread(task, "delivery"));
    this.delivery.allowCoreThreadTimeOut(true);
    this.ready = new ReadyQueue(delivery, config.deliveryThreads());
    this.scheduler =
        new ScheduledThreadPoolExecutor(1, task -> threads.newThread(task, "scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    log.start(this);
    long tickNanos = sweepTickNanos(config.keepAlive(), config.stallTimeout());
    scheduler.scheduleAtFixedRate(this::sweep, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    LOG.log(Level.INFO, () -> "ssekit hub " + config.name() + " started: " + config);
  }

  /** A quarter of the shorter interval, between 10 ms and 1 s: precise enough, and cheap. */
  private static long sweepTickNanos(Duration keepAlive, Duration stallTimeout) {
    long shorter = Math.min(keepAlive.toNanos(), stallTimeout.toNanos());
    return Math.max(
        TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shorter / 4));
  }

  @Override
  public CompletionStage<String> publish(String topic, ServerSentEvent event) {
    TopicNames.requireValid(topic);
    Objects.requireNonNull(event, "event");
    if (event.id() != null) {
      throw new IllegalArgumentException(
          "event id must be null when publishing: the topic's log assigns ids (build the event without id)");
    }
    requireOpen();
    return log.append(topic, event)
        .thenApply(
            logged -> {
              counters.eventsPublished.increment();
              return logged.id();
            });
  }

  @Override
  public Subscription subscribe(
      String topic, String lastEventId, SseTransport transport, SseListener listener) {
    TopicNames.requireValid(topic);
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(listener, "listener");
    if (closed.get()) {
      throw new SubscriptionRefusedException(Reason.HUB_CLOSED, this + " is closed");
    }
    if (subscriberCount.incrementAndGet() > config.maxSubscribers()) {
      subscriberCount.decrementAndGet();
      throw new SubscriptionRefusedException(
          Reason.HUB_LIMIT,
          "hub "
              + config.name()
              + " holds maxSubscribers="
              + config.maxSubscribers()
              + " subscribers");
    }
    RealSubscription admitted =
        topics.join(
            topic,
            config.maxSubscribersPerTopic(),
            hubTopic -> new RealSubscription(this, hubTopic, transport, listener));
    if (admitted == null) {
      subscriberCount.decrementAndGet();
      throw new SubscriptionRefusedException(
          Reason.TOPIC_LIMIT,
          "topic "
              + topic
              + " holds maxSubscribersPerTopic="
              + config.maxSubscribersPerTopic()
              + " subscribers");
    }
    LOG.log(
        Level.DEBUG,
        () ->
            admitted.id()
                + " subscribing to "
                + topic
                + (lastEventId == null ? "" : " after a Last-Event-ID"));
    if (closed.get()) {
      // close() may have swept the topics before this subscriber was added.
      admitted.terminateNow(CloseReason.HUB_CLOSED);
      return admitted;
    }
    // After the log follows the topic: it reports only what is appended after that.
    admitted
        .topic
        .followed()
        .thenRun(() -> lookUpReplay(topic, lastEventId).whenComplete(admitted::start));
    return admitted;
  }

  private CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    try {
      return log.lookUpReplay(topic, lastEventId);
    } catch (RuntimeException e) {
      // A log that throws rather than failing its stage: the subscriber is admitted already, so end
      // it the same way (ERROR) instead of leaving it registered forever.
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    TopicNames.requireValid(topic);
    requireOpen();
    return log.closeTopic(topic);
  }

  @Override
  public int disconnectAll(String topic) {
    Objects.requireNonNull(topic, "topic");
    HubTopic hubTopic = topics.get(topic);
    if (hubTopic == null) {
      return 0;
    }
    int ended = 0;
    for (RealSubscription subscription : hubTopic.subscribers()) {
      if (subscription.closeGracefully(CloseReason.DISCONNECTED, null)) {
        ended++;
      }
    }
    return ended;
  }

  @Override
  public int subscriberCount(String topic) {
    Objects.requireNonNull(topic, "topic");
    HubTopic hubTopic = topics.get(topic);
    return hubTopic == null ? 0 : hubTopic.size();
  }

  @Override
  public HubStats stats() {
    long queued = 0;
    for (HubTopic hubTopic : topics.all()) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        queued += subscription.queuedBytes();
      }
    }
    return new HubStats(
        subscriberCount.get(),
        topics.size(),
        counters.eventsPublished.sum(),
        counters.eventsDelivered.sum(),
        queued,
        counters.overflowDisconnects.sum(),
        counters.overflowDrops.sum(),
        counters.stallDisconnects.sum(),
        counters.keepAlivesSent.sum());
  }

  @Override
  public SseHub.Config config() {
    return config;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.log(Level.DEBUG, () -> this + " closing " + subscriberCount.get() + " streams");
    long minMillis = config.shutdownRetryMin().toMillis();
    long maxMillis = config.shutdownRetryMax().toMillis();
    for (HubTopic hubTopic : topics.all()) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        long retryMillis = ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1);
        subscription.closeGracefully(
            CloseReason.HUB_CLOSED, EventStreamEncoder.encodeRetry(Duration.ofMillis(retryMillis)));
      }
    }
    awaitDrained(config.shutdownTimeout().toNanos());
    for (HubTopic hubTopic : topics.all()) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        subscription.terminateNow(CloseReason.HUB_CLOSED);
      }
    }
    scheduler.shutdownNow();
    delivery.shutdown();
    try {
      if (!delivery.awaitTermination(
          config.shutdownTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        LOG.log(
            Level.WARNING,
            () -> this + " delivery threads did not stop in time; interrupting them");
        delivery.shutdownNow();
      }
      scheduler.awaitTermination(1, TimeUnit.SECONDS);
      // A pool reports termination while its last worker is still exiting; a container looking for
      // leaked threads right after undeploy must not find it.
      if (!threads.awaitThreadsEnded(System.nanoTime() + TimeUnit.SECONDS.toNanos(2))) {
        LOG.log(Level.WARNING, () -> this + " a hub thread is still running after close");
      }
    } catch (InterruptedException e) {
      delivery.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.close();
    LOG.log(Level.DEBUG, () -> this + " closed");
  }

  @Override
  public void onAppended(LoggedEvent event) {
    HubTopic hubTopic = topics.get(event.topic());
    if (hubTopic != null) {
      counters.eventsDelivered.add(hubTopic.fanOut(event, ready));
    }
  }

  @Override
  public void onTopicClosed(String topic) {
    HubTopic hubTopic = topics.get(topic);
    if (hubTopic == null) {
      return;
    }
    for (RealSubscription subscription : hubTopic.subscribers()) {
      subscription.closeGracefully(CloseReason.TOPIC_CLOSED, null);
    }
  }

  @Override
  public String toString() {
    return "RealSseHub@"
        + config.name()
        + "["
        + (closed.get() ? "CLOSED" : "OPEN")
        + ", subscribers="
        + subscriberCount.get()
        + "]";
  }

  // ---- package-private, for subscriptions ----

  EventLog log() {
    return log;
  }

  SubscriptionSettings subscriptionSettings() {
    return subscriptionSettings;
  }

  HubCounters counters() {
    return counters;
  }

  /** Runs {@code subscription}'s write loop on a delivery thread. */
  void schedule(RealSubscription subscription) {
    ready.add(subscription);
  }

  /**
   * Runs {@code subscription}'s terminal actions off the caller's thread (a fan-out must not call
   * out).
   */
  void finishLater(RealSubscription subscription) {
    try {
      delivery.execute(subscription::finish);
    } catch (RejectedExecutionException stopped) {
      subscription.finish();
    }
  }

  /** Forgets a subscription of {@code topic} that ended. */
  void removed(RealSubscription subscription, HubTopic topic) {
    topics.leave(subscription, topic);
    if (subscriberCount.decrementAndGet() == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  // ---- private ----

  private void sweep() {
    long now = System.nanoTime();
    for (HubTopic hubTopic : topics.all()) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        try {
          subscription.sweep(now);
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, subscription.id() + " sweep failed", e);
        }
      }
    }
  }

  private void awaitDrained(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (drained) {
      long remaining;
      while (subscriberCount.get() > 0 && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(drained, remaining);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed: build a new hub");
    }
  }
}
