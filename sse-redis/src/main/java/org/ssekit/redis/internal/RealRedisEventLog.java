package org.ssekit.redis.internal;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Selection;
import org.ssekit.ServerSentEvent;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisLogStats;
import org.ssekit.redis.RedisUnavailableException;

/**
 * The {@link EventLog} on Redis Streams; see {@link RedisEventLog} for what it guarantees. It owns
 * the lifecycle (connected, started, closed) and hands each call to the part that does it:
 *
 * <ul>
 *   <li>{@link RedisConnections}: the client, its threads and its two connections;
 *   <li>{@link TopicWriter}: appends and topic closings;
 *   <li>{@link ReplayLookup} and {@link SelectionLookup}: where a stream of one topic, or of a
 *       selection, starts;
 *   <li>{@link StreamReader}: reads the log's index on its own thread and reports every append and
 *       closing to the hub's sink, in the log's order; {@link ReadProgress}: how far it got;
 *   <li>{@link ControlChannel}: what the nodes tell each other besides events (revocations,
 *       presence changes); {@link NodePresence}: this node's members and lease, and the others';
 *   <li>{@link LogStatsRecorder}: the counters and state behind {@link #stats()};
 *   <li>{@link ScriptRunner} and {@link RedisFailures}: the Lua scripts, and their failures as the
 *       log's exceptions.
 * </ul>
 *
 * <p>The client's threads (I/O, completions, timer) and the reader thread are named {@code
 * ssekit-redis-<name>-...} and end on {@link #close()}.
 *
 * <p><b>Lifecycle:</b> {@link #connect} connects; {@link #start} (once, by the hub) starts the
 * reader; {@link #close()} stops it and releases every resource. Appends, lookups and closings fail
 * with {@link IllegalStateException} before the start, and their stages fail with it after the
 * close.
 *
 * <p><b>Thread safety:</b> thread-safe. Its only lock guards the start; nothing else is called
 * while it is held. It ignores {@link #follow} and {@link #unfollow}: it reports every topic.
 */
public final class RealRedisEventLog implements RedisEventLog {
  private static final System.Logger LOG = System.getLogger(RealRedisEventLog.class.getName());

  private final RedisEventLog.Config config;
  private final String endpoint;
  private final RedisConnections connections;
  private final ReadProgress progress;
  private final LogStatsRecorder stats;
  private final StreamReader reader;
  private final TopicWriter writer;
  private final ReplayLookup replays;
  private final SelectionLookup selections;
  private final ControlChannel control;
  private final NodePresence presence;
  private final long timeoutMillis;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object startLock = new Object();
  private volatile Sink sink; // written once, under startLock

  private RealRedisEventLog(RedisEventLog.Config config, RedisConnections connections) {
    this.config = config;
    this.endpoint = LogSettings.endpoint(config);
    this.connections = connections;
    this.timeoutMillis = config.commandTimeout().toMillis();
    RedisFailures failures = new RedisFailures(endpoint, timeoutMillis);
    TopicKeys keys = TopicKeys.of(config.keyPrefix(), config.cluster());
    ScriptRunner scripts = new ScriptRunner(connections.commands(), keys, failures);
    this.progress = new ReadProgress(connections.completions());
    this.stats =
        new LogStatsRecorder(
            endpoint,
            System::nanoTime,
            () -> connections.commands().isOpen() && connections.reader().isOpen());
    Runnable readerRecovered = connections.onReaderReconnected(stats::readerReconnected);
    this.control = new ControlChannel(connections.commands(), keys.control(), failures);
    this.presence =
        new NodePresence(
            scripts,
            control.origin(),
            keys.prefix(),
            keys.control(),
            config.presenceLease().toMillis(),
            timeoutMillis);
    control.presence(presence);
    this.reader =
        new StreamReader(
            this,
            keys.log(),
            keys.lost(),
            control,
            presence,
            progress,
            stats,
            connections.reader(),
            readerRecovered,
            config.readBlock().toMillis(),
            timeoutMillis,
            "ssekit-redis-" + config.name() + "-reader");
    StreamTrim trim = StreamTrim.of(config.retention());
    this.writer =
        new TopicWriter(scripts, progress, trim, config.closedTopicTtl().toMillis(), timeoutMillis);
    ReplayReply replies = new ReplayReply(config.retention(), this);
    this.replays =
        new ReplayLookup(scripts, progress, replies, failures, config.retention(), timeoutMillis);
    this.selections =
        new SelectionLookup(
            scripts, replays, replies, keys, config.retention(), trim.logMaxLength());
  }

  /**
   * Connects to Redis with {@code config}.
   *
   * @throws NullPointerException if {@code config} is null
   * @throws RedisUnavailableException if Redis cannot be reached within the command timeout
   * @throws IllegalStateException if Redis refuses the setup
   */
  public static RedisEventLog connect(RedisEventLog.Config config) {
    Objects.requireNonNull(config, "config");
    RealRedisEventLog log = new RealRedisEventLog(config, RedisConnections.open(config));
    LOG.log(Level.INFO, () -> "ssekit redis log " + config.name() + " connected: " + config);
    return log;
  }

  @Override
  public RedisEventLog.Config config() {
    return config;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code sink} is null
   * @throws IllegalStateException if the log was started before, or is closed
   */
  @Override
  public void start(Sink sink) {
    Objects.requireNonNull(sink, "sink");
    synchronized (startLock) {
      if (this.sink != null) {
        throw new IllegalStateException(this + " already started");
      }
      if (closed.get()) {
        throw new IllegalStateException(this + " is closed");
      }
      this.sink = sink;
    }
    // Outside the lock: only this call got past the check above. A close in between makes the
    // reader end at once.
    reader.start(sink);
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code topic} or {@code event} is null
   * @throws IllegalStateException if the log was not started
   */
  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    long startNanos = stats.now();
    return writer.append(topic, event).whenComplete((logged, f) -> stats.appended(startNanos, f));
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException if the log was not started
   */
  @Override
  public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    Objects.requireNonNull(topic, "topic");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    return replays.lookUp(topic, lastEventId).whenComplete((r, f) -> stats.replayLookedUp(f));
  }

  /** Returns true: every event has one id from the log's index, one order for all topics. */
  @Override
  public boolean supportsSelections() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code selection} is null
   * @throws IllegalStateException if the log was not started
   */
  @Override
  public CompletionStage<Replay> lookUpReplay(Selection selection, String lastEventId) {
    Objects.requireNonNull(selection, "selection");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    return selections
        .lookUp(selection, lastEventId)
        .whenComplete((r, f) -> stats.replayLookedUp(f));
  }

  @Override
  public RedisLogStats stats() {
    return stats.snapshot();
  }

  @Override
  public int compare(String a, String b) {
    EventId first = EventId.parse(a);
    EventId second = EventId.parse(b);
    if (first == null || second == null) {
      return first == null ? (second == null ? 0 : -1) : 1;
    }
    // Entry ids are positions in the log's index, one order for all topics and epochs.
    return first.entry().compareTo(second.entry());
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException if {@code topic} is null
   * @throws IllegalStateException if the log was not started
   */
  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    return writer.closeTopic(topic);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Adds an entry to the log's control stream, which every other node's reader reports.
   *
   * @throws NullPointerException if {@code principal} is null
   * @throws IllegalStateException if the log was not started
   */
  @Override
  public CompletionStage<Void> announceRevocation(String principal) {
    Objects.requireNonNull(principal, "principal");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    return control.announceRevocation(principal);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Records the change in this node's member set in Redis (renewing its lease) and in the
   * control stream, asynchronously; ignored before the start and after the close.
   */
  @Override
  public void presenceChanged(String topic, String principal, boolean present) {
    if (sink != null && !closed.get()) {
      presence.changed(topic, principal, present);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.log(Level.DEBUG, () -> this + " closing");
    presence.awaitWrites(); // the leaves of the streams the hub ended before closing its log
    reader.requestStop();
    connections.closeReaderConnection(); // ends a read blocked in Redis
    reader.awaitStopped(2 * timeoutMillis + 1000);
    progress.completeAll();
    connections.close();
    LOG.log(Level.DEBUG, () -> this + " closed");
  }

  @Override
  public String toString() {
    return "RedisEventLog@"
        + config.name()
        + "["
        + (closed.get() ? "CLOSED" : "OPEN")
        + ", redis="
        + endpoint
        + ", read="
        + progress.delivered()
        + "]";
  }

  private void requireStarted() {
    if (sink == null) {
      throw new IllegalStateException(this + " not started: a hub starts its log");
    }
  }
}
