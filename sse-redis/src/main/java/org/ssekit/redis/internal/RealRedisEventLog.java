package org.ssekit.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.ThreadFactoryProvider;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.Replay;
import org.ssekit.Retention;
import org.ssekit.ServerSentEvent;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.redis.RedisUnavailableException;

/**
 * The {@link EventLog} on Redis Streams; see {@link RedisEventLog} for what it guarantees.
 *
 * <p>Two connections: one for commands (appends, replay lookups, closing), shared by every thread,
 * and one for the {@link StreamReader}'s blocking reads. Both reject commands while disconnected
 * and never retry them, and reconnect by themselves. The client's threads (I/O, completions, timer)
 * and the reader thread are named {@code ssekit-redis-<name>-...} and end on {@link #close()}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RealRedisEventLog implements EventLog {
  /** The length of an epoch: 8 base-36 chars, about 2.8 * 10^12 values. */
  static final int EPOCH_CHARS = 8;

  private static final System.Logger LOG = System.getLogger(RealRedisEventLog.class.getName());

  /**
   * The fewest entries a stream keeps, whatever the retention, so that a reader behind still reads.
   */
  private static final int MIN_STREAM_ENTRIES = 1000;

  /** The shortest time a stream keeps entries and an idle topic is kept, for the same reason. */
  private static final long MIN_STREAM_AGE_MILLIS = 60_000;

  /** Longer ages than this are not enforced in Redis (no expiry, no trimming by age). */
  private static final long MAX_ENFORCED_AGE_MILLIS = TimeUnit.DAYS.toMillis(3650);

  private final String name;
  private final String endpoint;
  private final String keyPrefix;
  private final Retention retention;
  private final long maxAgeMillis;
  private final String streamMaxLength;
  private final String streamMinAgeMillis;
  private final String closedTtlMillis;
  private final long timeoutMillis;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> commands;
  private final StatefulRedisConnection<String, String> readerConnection;
  private final Executor completions;
  private final StreamReader reader;
  private final ConcurrentHashMap<String, FollowedTopic> followed = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object startLock = new Object();
  private volatile Sink sink; // written once, under startLock

  private RealRedisEventLog(
      RedisEventLog.Builder config,
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> commands,
      StatefulRedisConnection<String, String> readerConnection) {
    this.name = config.name();
    this.endpoint = endpoint(config.uri());
    this.keyPrefix = config.keyPrefix();
    this.retention = config.retention();
    this.maxAgeMillis = saturatedMillis(retention.maxAge());
    this.streamMaxLength = Integer.toString(Math.max(retention.maxEvents(), MIN_STREAM_ENTRIES));
    this.streamMinAgeMillis =
        Long.toString(
            maxAgeMillis > MAX_ENFORCED_AGE_MILLIS
                ? 0
                : Math.max(maxAgeMillis, MIN_STREAM_AGE_MILLIS));
    this.closedTtlMillis = Long.toString(config.closedTopicTtl().toMillis());
    this.timeoutMillis = config.commandTimeout().toMillis();
    this.resources = resources;
    this.client = client;
    this.commands = commands;
    this.readerConnection = readerConnection;
    this.completions = resources.eventExecutorGroup();
    this.reader =
        new StreamReader(
            this,
            readerConnection,
            commands,
            completions,
            config.readBlock().toMillis(),
            timeoutMillis,
            "ssekit-redis-" + name + "-reader");
  }

  /**
   * Connects to Redis with {@code config}.
   *
   * @throws RedisUnavailableException if Redis cannot be reached within the command timeout
   * @throws IllegalStateException if Redis refuses the setup
   */
  public static EventLog connect(RedisEventLog.Builder config) {
    Objects.requireNonNull(config, "config");
    RedisURI uri = config.uri();
    Duration timeout = config.commandTimeout();
    long timeoutMillis = timeout.toMillis();
    long blockMillis = config.readBlock().toMillis();
    uri.setTimeout(timeout);
    String threadPrefix = "ssekit-redis-" + config.name();
    ClientResources resources =
        ClientResources.builder()
            .threadFactoryProvider(new NamedThreads(threadPrefix))
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // Never queue commands while disconnected, and fail those in flight when the connection
            // drops:
            // an append either fails at once or may have been executed, but is never sent twice.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
            .timeoutOptions(
                TimeoutOptions.builder()
                    .timeoutSource(
                        new TimeoutOptions.TimeoutSource() {
                          @Override
                          public long getTimeout(RedisCommand<?, ?, ?> command) {
                            // A blocking read takes its block time on top of the command timeout.
                            return command != null && command.getType() == CommandType.XREAD
                                ? blockMillis + timeoutMillis
                                : timeoutMillis;
                          }
                        })
                    .build())
            .build());
    StatefulRedisConnection<String, String> commands = null;
    StatefulRedisConnection<String, String> readerConnection = null;
    try {
      commands = client.connect(StringCodec.UTF8);
      readerConnection = client.connect(StringCodec.UTF8);
      // Cached up front, so that a burst of first appends does not all miss the cache; a Redis that
      // restarts forgets them, and each script then falls back to EVAL once.
      for (Scripts.Script script : Scripts.ALL) {
        commands.sync().scriptLoad(script.text());
      }
    } catch (RuntimeException e) {
      closeQuietly(readerConnection);
      closeQuietly(commands);
      shutDown(client, resources, timeoutMillis);
      if (e instanceof RedisCommandExecutionException) {
        // Reached, but refused: a password or ACL problem, or scripting is disabled.
        throw new IllegalStateException(
            "redis at "
                + endpoint(uri)
                + " refused the log's setup (it needs"
                + " Lua scripting and stream commands): "
                + e.getMessage(),
            e);
      }
      throw new RedisUnavailableException(
          "redis unreachable at "
              + endpoint(uri)
              + ": cannot connect within "
              + timeoutMillis
              + " ms",
          e,
          false);
    }
    RealRedisEventLog log =
        new RealRedisEventLog(config, resources, client, commands, readerConnection);
    LOG.log(Level.INFO, () -> "ssekit redis log " + config.name() + " connected: " + config);
    return log;
  }

  /**
   * Describes where {@code uri} points, without credentials: {@code host:port}, a socket or a
   * sentinel.
   */
  public static String endpoint(RedisURI uri) {
    if (uri.getHost() != null) {
      return uri.getHost() + ":" + uri.getPort();
    }
    if (uri.getSocket() != null) {
      return uri.getSocket();
    }
    return "sentinel master " + uri.getSentinelMasterId();
  }

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
      reader.start(sink);
    }
  }

  @Override
  public CompletionStage<LoggedEvent> append(String topic, ServerSentEvent event) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    List<String> fields = EntryCodec.encode(event);
    String[] args = new String[4 + fields.size()];
    args[0] = newEpoch();
    args[1] = streamMaxLength;
    args[2] = streamMinAgeMillis;
    args[3] = streamMinAgeMillis;
    for (int i = 0; i < fields.size(); i++) {
      args[4 + i] = fields.get(i);
    }
    return run(Scripts.APPEND, topic, args, "append to")
        .thenCompose(
            reply -> {
              if ("closed".equals(text(reply, 0))) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException("topic closed: " + topic));
              }
              String epoch = text(reply, 1);
              String entry = text(reply, 2);
              LoggedEvent logged = new LoggedEvent(topic, EventId.format(epoch, entry), event);
              FollowedTopic following = followed.get(topic);
              if (following == null) {
                return CompletableFuture.completedFuture(logged);
              }
              // Bounded: if the reader cannot deliver it (Redis went away just after the append),
              // the append
              // still succeeded and must not be reported as failed (the caller might publish it
              // again).
              return following
                  .whenDelivered(StreamId.parse(entry))
                  .completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS)
                  .thenApply(delivered -> logged);
            });
  }

  @Override
  public CompletionStage<Replay> lookUpReplay(String topic, String lastEventId) {
    Objects.requireNonNull(topic, "topic");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    EventId presented = lastEventId == null ? null : EventId.parse(lastEventId);
    String mode = lastEventId == null ? "head" : presented == null ? "retained" : "after";
    String[] args = {
      mode,
      presented == null ? "" : presented.entry().toString(),
      presented == null ? "" : presented.epoch(),
      Integer.toString(retention.maxEvents())
    };
    FollowedTopic following = followed.get(topic);
    CompletableFuture<Void> ready =
        following == null
            ? CompletableFuture.completedFuture(null)
            : following.started(this::lookUpStart, reader::wake);
    return ready
        .thenCompose(started -> run(Scripts.OPEN, topic, args, "look up the replay of"))
        .thenApply(reply -> replay(topic, lastEventId, presented, reply))
        .thenCompose(replay -> handOver(topic, following, replay));
  }

  /**
   * Completes with {@code replay} once the reader has delivered every entry up to its head: the hub
   * drops live events up to the head only while the subscriber is opening, so one delivered later
   * would reach it twice.
   */
  private CompletableFuture<Replay> handOver(String topic, FollowedTopic following, Replay replay) {
    EventId head = replay.headId() == null ? null : EventId.parse(replay.headId());
    if (following == null || head == null || !isFollowed(following)) {
      return CompletableFuture.completedFuture(replay);
    }
    CompletableFuture<Replay> handedOver = new CompletableFuture<>();
    following
        .whenDelivered(head.entry())
        .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .whenComplete(
            (delivered, failure) -> {
              if (failure == null) {
                handedOver.complete(replay);
              } else {
                handedOver.completeExceptionally(
                    new RedisUnavailableException(
                        "redis at "
                            + endpoint
                            + ": this node did not read topic "
                            + topic
                            + " up to "
                            + replay.headId()
                            + " within "
                            + timeoutMillis
                            + " ms",
                        failure,
                        false));
              }
            });
    return handedOver;
  }

  @Override
  public int compare(String a, String b) {
    EventId first = EventId.parse(a);
    EventId second = EventId.parse(b);
    if (first == null || second == null) {
      return first == null ? (second == null ? 0 : -1) : 1;
    }
    // Within a topic, entry ids order events across epochs too: Redis takes them from its clock.
    return first.entry().compareTo(second.entry());
  }

  @Override
  public CompletionStage<Void> closeTopic(String topic) {
    Objects.requireNonNull(topic, "topic");
    requireStarted();
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException(this + " is closed"));
    }
    String[] args = {closedTtlMillis, newEpoch()};
    return run(Scripts.CLOSE, topic, args, "close")
        .thenCompose(
            reply -> {
              FollowedTopic following = followed.get(topic);
              if (!"closed".equals(text(reply, 0)) || following == null) {
                return CompletableFuture.completedFuture(null);
              }
              // Completes once the reader reported the closing to the hub, after every event before
              // it.
              return following
                  .whenDelivered(StreamId.parse(text(reply, 1)))
                  .completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS);
            });
  }

  @Override
  public void follow(String topic) {
    Objects.requireNonNull(topic, "topic");
    if (closed.get()) {
      return;
    }
    FollowedTopic following =
        followed.computeIfAbsent(topic, name -> new FollowedTopic(name, streamKey(name)));
    following.started(this::lookUpStart, reader::wake);
  }

  @Override
  public void unfollow(String topic) {
    FollowedTopic following = followed.remove(Objects.requireNonNull(topic, "topic"));
    if (following != null) {
      following.completeAll(completions);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.log(Level.DEBUG, () -> this + " closing");
    reader.requestStop();
    closeQuietly(readerConnection); // ends a read blocked in Redis
    reader.awaitStopped(2 * timeoutMillis + 1000);
    for (FollowedTopic following : followed.values()) {
      following.completeAll(Runnable::run);
    }
    followed.clear();
    closeQuietly(commands);
    shutDown(client, resources, timeoutMillis);
    LOG.log(Level.DEBUG, () -> this + " closed");
  }

  @Override
  public String toString() {
    return "RedisEventLog@"
        + name
        + "["
        + (closed.get() ? "CLOSED" : "OPEN")
        + ", redis="
        + endpoint
        + ", followed="
        + followed.size()
        + "]";
  }

  // ---- package-private, for the reader ----

  Collection<FollowedTopic> followedTopics() {
    return followed.values();
  }

  /** Returns true if {@code topic} is still the followed state of its topic. */
  boolean isFollowed(FollowedTopic topic) {
    return followed.get(topic.topic) == topic;
  }

  // ---- private ----

  private CompletableFuture<FollowedTopic.Start> lookUpStart(FollowedTopic topic) {
    return run(Scripts.FOLLOW, topic.topic, new String[0], "follow")
        .thenApply(
            reply -> {
              String epoch = text(reply, 1);
              String number = text(reply, 2);
              StreamId cursor = StreamId.parse(text(reply, 0));
              return new FollowedTopic.Start(
                  cursor == null ? StreamId.ZERO : cursor,
                  epoch,
                  number == null ? 0 : Long.parseLong(number));
            });
  }

  private Replay replay(String topic, String lastEventId, EventId presented, List<Object> reply) {
    String kind = text(reply, 0);
    if ("closed".equals(kind)) {
      return Replay.topicClosed();
    }
    if ("empty".equals(kind)) {
      return lastEventId == null ? Replay.known(List.of(), null) : Replay.unknown(List.of(), null);
    }
    String epoch = text(reply, 1);
    String last = text(reply, 2);
    long nowMillis = Long.parseLong(text(reply, 3));
    String headId = StreamId.ZERO.toString().equals(last) ? null : EventId.format(epoch, last);
    if (lastEventId == null) {
      return Replay.known(List.of(), headId);
    }
    List<?> from = list(reply, 4);
    List<?> window = list(reply, 5);
    if (presented != null && presented.epoch().equals(epoch) && from != null) {
      List<LoggedEvent> entries = events(topic, epoch, from);
      if (!entries.isEmpty()
          && EventId.parse(entries.get(0).id()).entry().equals(presented.entry())) {
        List<LoggedEvent> after = entries.subList(1, entries.size());
        List<LoggedEvent> retained = retained(after, nowMillis);
        if (retained.size() == after.size()) {
          return Replay.known(after, headId);
        }
        if (window == null) {
          // Everything after the id was read, and the window is a part of it.
          return Replay.unknown(retained, headId);
        }
      } else if (presented.entry().toString().equals(last)) {
        return Replay.known(List.of(), headId); // the newest event; those before it may be gone
      }
    }
    List<LoggedEvent> newest = window == null ? List.of() : events(topic, epoch, window);
    List<LoggedEvent> oldestFirst = new ArrayList<>(newest);
    Collections.reverse(oldestFirst);
    return Replay.unknown(retained(oldestFirst, nowMillis), headId);
  }

  /**
   * Returns the newest part of {@code events} (oldest first) that the retention keeps: at most
   * {@code maxEvents}, none older than {@code maxAge}, at most {@code maxBytes} encoded.
   */
  private List<LoggedEvent> retained(List<LoggedEvent> events, long nowMillis) {
    int first = Math.max(0, events.size() - retention.maxEvents());
    while (first < events.size()
        && nowMillis - EventId.parse(events.get(first).id()).entry().ms() >= maxAgeMillis) {
      first++;
    }
    long bytes = 0;
    for (int i = events.size() - 1; i >= first; i--) {
      bytes += events.get(i).encodedLength();
      if (bytes > retention.maxBytes()) {
        first = i + 1;
        break;
      }
    }
    return events.subList(first, events.size());
  }

  /**
   * Decodes the entries of a script's reply ({@code [[id, [field, value, ...]], ...]}), skipping
   * others.
   */
  private List<LoggedEvent> events(String topic, String epoch, List<?> entries) {
    List<LoggedEvent> events = new ArrayList<>(entries.size());
    for (Object item : entries) {
      List<?> entry = (List<?>) item;
      String id = (String) entry.get(0);
      List<?> flat = (List<?>) entry.get(1);
      Map<String, String> fields = new HashMap<>(flat.size());
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        fields.put((String) flat.get(i), (String) flat.get(i + 1));
      }
      if (EntryCodec.isClosing(fields)) {
        continue;
      }
      try {
        events.add(new LoggedEvent(topic, EventId.format(epoch, id), EntryCodec.decode(fields)));
      } catch (IllegalArgumentException e) {
        LOG.log(
            Level.WARNING,
            () ->
                this
                    + " skipped entry "
                    + id
                    + " of topic "
                    + topic
                    + ", which this log did not write: "
                    + e.getMessage());
      }
    }
    return events;
  }

  /**
   * Returns element {@code index} of a script's reply as text, or null: a Lua {@code false} arrives
   * as null over RESP2 and as {@code Boolean.FALSE} over RESP3.
   */
  private static String text(List<Object> reply, int index) {
    Object value = reply.get(index);
    return value instanceof String ? (String) value : null;
  }

  /** Returns element {@code index} of a script's reply as a list, or null (see {@link #text}). */
  private static List<?> list(List<Object> reply, int index) {
    Object value = reply.get(index);
    return value instanceof List ? (List<?>) value : null;
  }

  /** Runs {@code script} on {@code topic}'s keys, mapping failures to the log's exceptions. */
  private CompletableFuture<List<Object>> run(
      Scripts.Script script, String topic, String[] args, String action) {
    String stream = streamKey(topic);
    String[] keys = {stream, stream + ":m"};
    if (!commands.isOpen()) {
      return CompletableFuture.failedFuture(
          new RedisUnavailableException(
              "redis unreachable at " + endpoint + ": did not " + action + " topic " + topic,
              null,
              false));
    }
    CompletableFuture<List<Object>> result;
    try {
      result =
          commands
              .async()
              .<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
              .toCompletableFuture()
              .handle(
                  (reply, failure) -> {
                    if (failure == null) {
                      return CompletableFuture.completedFuture(reply);
                    }
                    if (unwrap(failure) instanceof RedisNoScriptException) {
                      // Not cached (Redis restarted, or the first use): nothing ran, so running it
                      // is safe.
                      return commands
                          .async()
                          .<List<Object>>eval(script.text(), ScriptOutputType.MULTI, keys, args)
                          .toCompletableFuture();
                    }
                    return CompletableFuture.<List<Object>>failedFuture(failure);
                  })
              .thenCompose(stage -> stage);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.handle(
        (reply, failure) -> {
          if (failure != null) {
            throw new CompletionException(translate(unwrap(failure), topic, action));
          }
          return reply;
        });
  }

  private RuntimeException translate(Throwable failure, String topic, String action) {
    if (failure instanceof RedisCommandTimeoutException) {
      return new RedisUnavailableException(
          "redis at "
              + endpoint
              + " did not answer within "
              + timeoutMillis
              + " ms; may or may not have done: "
              + action
              + " topic "
              + topic,
          failure,
          true);
    }
    if (failure instanceof RedisCommandExecutionException) {
      // Redis answered with an error (out of memory, a read-only replica, a key of another type):
      // the
      // scripts fail before their first write in each of these cases.
      return new RedisUnavailableException(
          "redis at "
              + endpoint
              + " refused to "
              + action
              + " topic "
              + topic
              + ": "
              + failure.getMessage(),
          failure,
          false);
    }
    if (failure instanceof RedisException) {
      String message = String.valueOf(failure.getMessage());
      if (message.contains("Commands are rejected")) {
        return new RedisUnavailableException(
            "redis unreachable at " + endpoint + ": did not " + action + " topic " + topic,
            failure,
            false);
      }
      return new RedisUnavailableException(
          "redis connection to "
              + endpoint
              + " lost; may or may not have"
              + " done: "
              + action
              + " topic "
              + topic,
          failure,
          true);
    }
    if (failure instanceof RuntimeException) {
      return (RuntimeException) failure;
    }
    return new IllegalStateException("could not " + action + " topic " + topic, failure);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private String streamKey(String topic) {
    return keyPrefix + "{" + topic + "}";
  }

  private void requireStarted() {
    if (sink == null) {
      throw new IllegalStateException(this + " not started: a hub starts its log");
    }
  }

  private static String newEpoch() {
    long low = 78_364_164_096L; // 36^7: the smallest 8-digit base-36 number
    return Long.toString(ThreadLocalRandom.current().nextLong(low, low * 36), 36);
  }

  private static long saturatedMillis(Duration duration) {
    try {
      return duration.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static void closeQuietly(StatefulRedisConnection<String, String> connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED while closing a connection", e);
    }
  }

  private static void shutDown(RedisClient client, ClientResources resources, long timeoutMillis) {
    try {
      client.shutdown(Duration.ZERO, Duration.ofMillis(timeoutMillis));
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "redis client did not shut down cleanly", e);
    }
    try {
      // Typed as the JDK's Future: Netty's, which it is, is not readable from this module.
      java.util.concurrent.Future<?> done =
          resources.shutdown(0, timeoutMillis, TimeUnit.MILLISECONDS);
      done.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.log(Level.DEBUG, "redis client resources did not shut down cleanly", e);
    }
  }

  /** Names the client's threads {@code ssekit-redis-<name>-<pool>-<n>}, as daemons. */
  private static final class NamedThreads implements ThreadFactoryProvider {
    private final String prefix;

    NamedThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public ThreadFactory getThreadFactory(String poolName) {
      String pool =
          poolName.contains("EventLoop")
              ? "io"
              : poolName.contains("eventExecutor")
                  ? "exec"
                  : poolName.contains("timer") ? "timer" : poolName.replace("lettuce-", "");
      AtomicInteger count = new AtomicInteger();
      return task -> {
        Thread thread = new Thread(task, prefix + "-" + pool + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
