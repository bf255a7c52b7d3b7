package org.ssekit.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.ssekit.CloseReason;
import org.ssekit.DeliveryLatencySink;
import org.ssekit.EventLog;
import org.ssekit.HubStats;
import org.ssekit.LoggedEvent;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.SseListener;
import org.ssekit.SseTransport;
import org.ssekit.Subscription;
import org.ssekit.SubscriptionRefusedException.Reason;

/**
 * The {@link SseHub}: a map of topics to subscribers and an index of selections, fed by its {@link
 * EventLog}; its threads are {@link HubExecutors}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RealSseHub implements SseHub, EventLog.Sink {
  private static final System.Logger LOG = System.getLogger(RealSseHub.class.getName());

  private final HubConfig config;
  private final EventLog log;
  private final SubscriptionSettings subscriptionSettings;
  private final HubCounters counters = new HubCounters();
  private final LatencySampling sampling = new LatencySampling();
  private final HubTopics topics;
  private final SelectionIndex selections = new SelectionIndex();
  private final SubscriberCount subscriberCount;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final HubExecutors executors;
  private final Expiries expiries;
  private final PrincipalStreams principals;
  private final Revocations revocations;
  private final HubPresence presence;

  /**
   * Starts a hub with {@code config} over {@code log}. Use {@link SseHub#builder()}.
   *
   * @throws IllegalStateException if the log was already started
   */
  public RealSseHub(HubConfig config, EventLog log) {
    this.config = config;
    this.log = Objects.requireNonNull(log, "log");
    this.topics = new HubTopics(log, config.name());
    this.subscriberCount = new SubscriberCount(config.maxSubscribers());
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
    this.executors = new HubExecutors(config, this);
    this.expiries = new Expiries(executors, config);
    this.presence = new HubPresence(config.presence(), log, topics, selections);
    this.principals = new PrincipalStreams(expiries, presence);
    this.revocations = new Revocations(principals, log, config.name());
    log.start(this);
    executors.sweepEvery(config.keepAlive(), config.stallTimeout(), this::sweep);
    LOG.log(Level.INFO, () -> "ssekit hub " + config.name() + " started: " + config);
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
    admitToHub();
    RealSubscription admitted =
        topics.join(
            topic,
            config.maxSubscribersPerTopic(),
            hubTopic -> new RealSubscription(this, hubTopic, null, transport, listener));
    if (admitted == null) {
      throw subscriberCount.topicFull(topic, config.maxSubscribersPerTopic(), counters);
    }
    counters.streamsOpened.increment();
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
        .thenRun(
            () ->
                HubTopics.lookUp(() -> log.lookUpReplay(topic, lastEventId))
                    .whenComplete(
                        (replay, failure) -> admitted.start(replay, failure, lastEventId)));
    return admitted;
  }

  @Override
  public Subscription subscribe(
      Selection selection, String lastEventId, SseTransport transport, SseListener listener) {
    Objects.requireNonNull(selection, "selection");
    if (selection.isSingleTopic()) {
      return subscribe(selection.topics().iterator().next(), lastEventId, transport, listener);
    }
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(listener, "listener");
    if (selection.size() > config.maxSelectionSize()) {
      throw new IllegalArgumentException(
          "selection has more entries than maxSelectionSize="
              + config.maxSelectionSize()
              + ": "
              + selection.size());
    }
    if (!log.supportsSelections()) {
      throw new UnsupportedOperationException(
          log
              + " serves one topic per stream: subscribe to one topic, or use a log that supports"
              + " selections (EventLog.supportsSelections)");
    }
    admitToHub();
    RealSubscription admitted =
        new RealSubscription(this, null, new SelectionMembership(selection), transport, listener);
    // Registered before the lookup: every event the lookup misses reaches it live.
    selections.add(admitted);
    counters.streamsOpened.increment();
    LOG.log(Level.DEBUG, () -> admitted.id() + " subscribing to " + selection.size() + " entries");
    if (closed.get()) {
      admitted.terminateNow(CloseReason.HUB_CLOSED);
      return admitted;
    }
    HubTopics.lookUp(() -> log.lookUpReplay(selection, lastEventId))
        .whenComplete((replay, failure) -> admitted.start(replay, failure, lastEventId));
    return admitted;
  }

  /** Counts a new subscriber against the hub's limit, or refuses it. */
  private void admitToHub() {
    if (closed.get()) {
      throw counters.refused(Reason.HUB_CLOSED, this + " is closed");
    }
    subscriberCount.add(config.name(), counters);
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
    int ended = 0;
    if (hubTopic != null) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        if (subscription.closeGracefully(CloseReason.DISCONNECTED, null)) {
          ended++;
        }
      }
    }
    for (RealSubscription subscription : selections.naming(topic)) {
      if (subscription.closeGracefully(CloseReason.DISCONNECTED, null)) {
        ended++;
      }
    }
    return ended;
  }

  @Override
  public int closeStreamsOf(String principal) {
    return revocations.closeStreamsOf(Objects.requireNonNull(principal, "principal"), closed);
  }

  @Override
  public CompletionStage<Integer> closeStreamsEverywhere(String principal) {
    Objects.requireNonNull(principal, "principal");
    requireOpen();
    return revocations.closeStreamsEverywhere(principal);
  }

  @Override
  public Set<String> members(String topic) {
    return presence.members(topic);
  }

  @Override
  public int subscriberCount(String topic) {
    Objects.requireNonNull(topic, "topic");
    HubTopic hubTopic = topics.get(topic);
    return (hubTopic == null ? 0 : hubTopic.size()) + selections.naming(topic).size();
  }

  @Override
  public HubStats stats() {
    long[] queued = {0};
    forEachSubscription(subscription -> queued[0] += subscription.queuedBytes());
    return counters.snapshot(subscriberCount.get(), topics.size(), queued[0]);
  }

  @Override
  public DeliveryLatencySink.Attachment sampleLatency(int everyNthEvent, DeliveryLatencySink sink) {
    return sampling.attach(config.name(), everyNthEvent, sink);
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
    forEachSubscription(
        subscription ->
            subscription.closeGracefully(CloseReason.HUB_CLOSED, expiries.jitteredRetry()));
    subscriberCount.awaitZero(config.shutdownTimeout().toNanos());
    forEachSubscription(subscription -> subscription.terminateNow(CloseReason.HUB_CLOSED));
    executors.shutdown(config.shutdownTimeout().toMillis());
    log.close();
    LOG.log(Level.DEBUG, () -> this + " closed");
  }

  @Override
  public void onAppended(LoggedEvent event) {
    // Deliveries are counted when handed to the transport: one queued now may yet be dropped.
    LatencySampling.Sample sample = sampling.sample(event);
    HubTopic hubTopic = topics.get(event.topic());
    if (hubTopic != null) {
      hubTopic.fanOut(event, executors.ready, sample);
    }
    selections.fanOut(event, executors.ready, sample);
  }

  @Override
  public void onTopicClosed(String topic) {
    HubTopic hubTopic = topics.get(topic);
    if (hubTopic != null) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        subscription.closeGracefully(CloseReason.TOPIC_CLOSED, null);
      }
    }
    selections.topicClosed(topic);
  }

  @Override
  public void onEventsLost() {
    forEachSubscription(RealSubscription::eventsLost);
  }

  @Override
  public void onRevoked(String principal) {
    revocations.onRevoked(principal);
  }

  @Override
  public void onPresence(String topic, String principal, boolean present) {
    presence.onRemote(topic, principal, present);
  }

  @Override
  public String toString() {
    return String.format(
        "RealSseHub@%s[%s, subscribers=%d]",
        config.name(), closed.get() ? "CLOSED" : "OPEN", subscriberCount.get());
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

  LatencySampling sampling() {
    return sampling;
  }

  Expiries expiries() {
    return expiries;
  }

  PrincipalStreams principals() {
    return principals;
  }

  HubPresence presence() {
    return presence;
  }

  Executor callbacks() {
    return executors.callbacks();
  }

  /** Runs {@code subscription}'s write loop on a delivery thread. */
  void schedule(RealSubscription subscription) {
    executors.ready.add(subscription);
  }

  /**
   * Runs {@code subscription}'s terminal actions off the caller's thread (a fan-out must not call
   * out).
   */
  void finishLater(RealSubscription subscription) {
    executors.finishLater(subscription);
  }

  /** Forgets a subscription that ended for {@code reason}. */
  void removed(RealSubscription subscription, CloseReason reason) {
    counters.closed(reason);
    expiries.forget(subscription);
    principals.forget(subscription);
    presence.removed(subscription);
    if (subscription.topic != null) {
      topics.leave(subscription, subscription.topic);
    } else {
      selections.remove(subscription);
    }
    subscriberCount.release();
  }

  // ---- private ----

  private void sweep() {
    long now = System.nanoTime();
    forEachSubscription(
        subscription -> {
          try {
            subscription.sweep(now);
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, subscription.id() + " sweep failed", e);
          }
        });
  }

  private void forEachSubscription(Consumer<RealSubscription> action) {
    for (HubTopic hubTopic : topics.all()) {
      for (RealSubscription subscription : hubTopic.subscribers()) {
        action.accept(subscription);
      }
    }
    for (RealSubscription subscription : selections.all()) {
      action.accept(subscription);
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(this + " is closed: build a new hub");
    }
  }
}
