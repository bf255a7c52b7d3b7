package org.ssekit.redis.internal;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.UnblockType;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.ServerSentEvent;
import org.ssekit.internal.HubThreads;

/**
 * The live side of the log on one node: one thread that reads the new entries of every followed
 * topic with a blocking {@code XREAD} on its own connection, and reports them to the hub's sink, in
 * entry order per topic, one call at a time.
 *
 * <p>The read blocks for at most the configured time, then starts over with the current set of
 * topics. When a topic starts being followed, the read is woken at once with {@code CLIENT UNBLOCK}
 * from the command connection; where that is refused, the block time bounds the delay (no event is
 * lost meanwhile: the topic is read from where it stood when it was followed). When Redis is away,
 * the reader retries with a growing pause (up to one second), and once Redis is back it reads on
 * from where each topic stood: the subscribers catch up in order.
 *
 * <p><b>Lifecycle:</b> started once by {@link #start}; stopped by {@link #requestStop()}, then
 * closing its connection, then {@link #awaitStopped(long)}.
 *
 * <p>The sink is called on the reader thread with no lock held; {@code lock} guards only the
 * wake-up flag, and no foreign code runs while it is held.
 *
 * <p><b>Thread safety:</b> {@link #wake()} and the stopping methods may be called from any thread;
 * the rest runs on the reader thread.
 */
final class StreamReader implements Runnable {
  private static final System.Logger LOG = System.getLogger(StreamReader.class.getName());

  /** The most entries read per topic per read, so that one busy topic cannot starve the others. */
  private static final int COUNT = 512;

  private static final long MIN_PAUSE_MILLIS = 20;
  private static final long MAX_PAUSE_MILLIS = 1000;

  private final Object log;
  private final FollowedTopics followed;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisConnection<String, String> waker;
  private final Executor completions;
  private final long blockMillis;
  private final long timeoutMillis;
  private final Thread thread;
  private final Object lock = new Object();
  // @GuardedBy("lock"): set by wake() and requestStop(), cleared by the reader before it looks at
  // the topics.
  private boolean changed;
  private volatile boolean running = true;
  // True while the reader is in (or about to enter) a blocking read; see wake().
  private volatile boolean blocking;
  // The reader connection's id for CLIENT UNBLOCK; 0 while unknown (it changes on reconnect).
  private volatile long clientId;
  private EventLog.Sink sink; // confined to the reader thread once started

  /**
   * @param log the log, named in log lines
   * @param followed the topics to read
   * @param connection the connection for the blocking reads, used by nothing else
   * @param waker the connection that sends {@code CLIENT UNBLOCK}
   * @param completions where the stages waiting for a delivery are completed
   * @param threadNamePrefix the reader thread is named {@code <threadNamePrefix>-1}
   */
  StreamReader(
      Object log,
      FollowedTopics followed,
      StatefulRedisConnection<String, String> connection,
      StatefulRedisConnection<String, String> waker,
      Executor completions,
      long blockMillis,
      long timeoutMillis,
      String threadNamePrefix) {
    this.log = log;
    this.followed = followed;
    this.connection = connection;
    this.waker = waker;
    this.completions = completions;
    this.blockMillis = blockMillis;
    this.timeoutMillis = timeoutMillis;
    this.thread = HubThreads.daemonFactory(threadNamePrefix).newThread(this);
  }

  /** Starts the reader thread, which reports to {@code sink}; called once. */
  void start(EventLog.Sink sink) {
    this.sink = sink;
    thread.start();
  }

  /**
   * The set of followed topics changed: read again with the new set, without waiting for the block.
   */
  void wake() {
    synchronized (lock) {
      changed = true;
      lock.notifyAll();
    }
    long id = clientId;
    if (blocking && id != 0 && waker.isOpen()) {
      // Unblocks the XREAD as if its time had run out. Refused by some managed Redis: then the
      // block time bounds the delay. Either way nothing is lost, so the outcome is ignored.
      waker.async().clientUnblock(id, UnblockType.TIMEOUT);
    }
  }

  /** Tells the reader to stop; the caller then closes its connection, which ends a blocked read. */
  void requestStop() {
    running = false;
    synchronized (lock) {
      changed = true;
      lock.notifyAll();
    }
  }

  /** Waits up to {@code waitMillis} for the reader thread to end, after {@link #requestStop()}. */
  void awaitStopped(long waitMillis) {
    if (Thread.currentThread() == thread || !thread.isAlive()) {
      return;
    }
    try {
      thread.join(waitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.log(Level.WARNING, () -> thread.getName() + " did not stop within " + waitMillis + " ms");
    }
  }

  @Override
  public void run() {
    long pauseMillis = 0;
    long failingSinceNanos = 0;
    while (running) {
      try {
        if (!readOnce()) {
          awaitChange(blockMillis);
        }
        if (failingSinceNanos != 0) {
          long downMillis = (System.nanoTime() - failingSinceNanos) / 1_000_000;
          // INFO although not a start: it closes the WARNING of the outage for operators.
          LOG.log(
              Level.INFO,
              () ->
                  log
                      + " reading from Redis again after "
                      + downMillis
                      + " ms; followed topics catch up from where they stood");
          failingSinceNanos = 0;
        }
        pauseMillis = 0;
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
        Thread.interrupted();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        blocking = false;
        if (!running) {
          break;
        }
        clientId = 0;
        if (failingSinceNanos == 0) {
          failingSinceNanos = System.nanoTime();
          Throwable cause =
              e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
          LOG.log(
              Level.WARNING,
              () ->
                  log
                      + " cannot read from Redis ("
                      + cause
                      + "); live events of followed topics are delayed until it is back");
          LOG.log(Level.DEBUG, () -> log + " read failure", cause);
        }
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(MIN_PAUSE_MILLIS, pauseMillis * 2));
        awaitChange(pauseMillis);
      }
    }
    LOG.log(Level.DEBUG, () -> thread.getName() + " stopped");
  }

  /**
   * Reads the followed topics once and delivers what came.
   *
   * @return false if no topic is followed (nothing was read)
   */
  private boolean readOnce() throws InterruptedException, ExecutionException, TimeoutException {
    synchronized (lock) {
      changed = false;
    }
    List<FollowedTopic> topics = new ArrayList<>();
    for (FollowedTopic topic : followed.all()) {
      if (topic.cursor == null) {
        FollowedTopic.Start start = topic.start();
        if (start == null) {
          continue; // its follow-time lookup is still running; it wakes the reader when done
        }
        topic.cursor = start.cursor();
        topic.epoch = start.epoch();
        topic.number = start.number();
        topic.delivered(start.cursor(), completions);
      }
      topics.add(topic);
    }
    if (topics.isEmpty()) {
      return false;
    }
    if (clientId == 0) {
      clientId = connection.async().clientId().get(timeoutMillis, TimeUnit.MILLISECONDS);
    }
    @SuppressWarnings({"unchecked", "rawtypes"}) // Lettuce takes a generic varargs array
    StreamOffset<String>[] offsets = new StreamOffset[topics.size()];
    Map<String, FollowedTopic> byKey = new HashMap<>(topics.size() * 2);
    for (int i = 0; i < offsets.length; i++) {
      FollowedTopic topic = topics.get(i);
      offsets[i] = StreamOffset.from(topic.streamKey, topic.cursor.toString());
      byKey.put(topic.streamKey, topic);
    }
    blocking = true;
    // A topic may have been followed since the list was taken; wake() saw blocking=false then, or
    // sent CLIENT UNBLOCK, which may reach Redis before this read: check once more rather than
    // block.
    synchronized (lock) {
      if (changed) {
        blocking = false;
        return true;
      }
    }
    List<StreamMessage<String, String>> messages;
    try {
      messages =
          connection
              .async()
              .xread(XReadArgs.Builder.block(blockMillis).count(COUNT), offsets)
              .get(blockMillis + timeoutMillis, TimeUnit.MILLISECONDS);
    } finally {
      blocking = false;
    }
    if (messages != null) {
      for (StreamMessage<String, String> message : messages) {
        deliver(byKey.get(message.getStream()), message);
      }
    }
    return true;
  }

  private void deliver(FollowedTopic topic, StreamMessage<String, String> message) {
    if (topic == null || !followed.isFollowed(topic)) {
      return; // no longer followed (or followed anew, from its own start)
    }
    StreamId id = StreamId.parse(message.getId());
    if (id == null || id.compareTo(topic.cursor) <= 0) {
      return;
    }
    topic.cursor = id;
    Map<String, String> fields = message.getBody();
    try {
      if (EntryCodec.isClosing(fields)) {
        LOG.log(Level.DEBUG, () -> log + " topic " + topic.topic + " closed");
        sink.onTopicClosed(topic.topic);
      } else {
        LoggedEvent event = decode(topic, id, fields);
        if (event != null) {
          sink.onAppended(event);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR, log + " hub threw while taking entry " + id + " of topic " + topic.topic, e);
    }
    topic.delivered(id, completions);
  }

  private LoggedEvent decode(FollowedTopic topic, StreamId id, Map<String, String> fields) {
    String epoch = fields.get(EntryCodec.EPOCH);
    ServerSentEvent event;
    try {
      if (epoch == null) {
        throw new IllegalArgumentException("entry has no epoch field " + EntryCodec.EPOCH);
      }
      event = EntryCodec.decode(fields);
    } catch (IllegalArgumentException e) {
      LOG.log(
          Level.WARNING,
          () ->
              log
                  + " skipped entry "
                  + id
                  + " of topic "
                  + topic.topic
                  + ", which this log did not write: "
                  + e.getMessage());
      return null;
    }
    long number = EntryCodec.number(fields);
    if (!epoch.equals(topic.epoch)) {
      if (topic.epoch != null) {
        // Expected after a topic expired or was closed and then published to again; after a Redis
        // that lost its data, subscribers may have missed events that it lost.
        LOG.log(
            Level.DEBUG,
            () ->
                log
                    + " topic "
                    + topic.topic
                    + " has a new epoch "
                    + epoch
                    + " (was "
                    + topic.epoch
                    + ")");
      }
      topic.epoch = epoch;
    } else if (topic.number > 0 && number > topic.number + 1) {
      long missed = number - topic.number - 1;
      LOG.log(
          Level.WARNING,
          () ->
              log
                  + " topic "
                  + topic.topic
                  + ": "
                  + missed
                  + " events were trimmed"
                  + " from Redis before this node read them; its subscribers miss them (the reader fell behind"
                  + " by more than the stream keeps)");
    }
    topic.number = number;
    return new LoggedEvent(topic.topic, EventId.format(epoch, id.toString()), event);
  }

  /**
   * Waits up to {@code millis} for {@link #wake()} or {@link #requestStop()}; an interrupt ends it
   * early.
   */
  private void awaitChange(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (lock) {
      long remaining;
      while (running && !changed && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          return; // the loop checks running; nothing else interrupts this thread
        }
      }
    }
  }
}
