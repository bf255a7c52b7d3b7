package org.ssekit.redis.internal;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.ssekit.EventLog;
import org.ssekit.LoggedEvent;
import org.ssekit.ServerSentEvent;
import org.ssekit.internal.HubThreads;

/**
 * The live side of the log on one node: one thread that reads the log's index stream (every event
 * and closing of every topic, in the one log-wide order), and the {@link ControlChannel}'s stream
 * in the same call, with a blocking {@code XREAD} on its own connection, and reports each entry to
 * the hub's sink, in that order, one call at a time, whether or not this node has subscribers for
 * its topic: a selector may match a topic that this node has never seen.
 *
 * <p>Each turn costs one read of at most {@value #COUNT} entries, whatever the number of topics
 * followed: the cost is the log's traffic, not its size. The read blocks for at most the configured
 * time, then starts over. When Redis is away, the reader retries with a growing pause (up to one
 * second), and once Redis is back it reads on from where it stood: subscribers catch up in order.
 *
 * <p><b>Lifecycle:</b> started once by {@link #start}; stopped by {@link #requestStop()}, then
 * closing its connection, then {@link #awaitStopped(long)}.
 *
 * <p>The sink is called on the reader thread with no lock held; {@code lock} guards only the stop
 * flag's wake-up, and no foreign code runs while it is held.
 *
 * <p><b>Thread safety:</b> the stopping methods may be called from any thread; the rest runs on the
 * reader thread.
 */
final class StreamReader implements Runnable {
  private static final System.Logger LOG = System.getLogger(StreamReader.class.getName());

  /** The most entries read per turn. */
  private static final int COUNT = 512;

  private static final long MIN_PAUSE_MILLIS = 20;
  private static final long MAX_PAUSE_MILLIS = 1000;

  private final Object log;
  private final String indexKey;
  private final String lossKey;
  private final ControlChannel control;
  private final NodePresence presence;
  private final ReadProgress progress;
  private final LogStatsRecorder stats;
  private final RedisLink connection;
  private final Runnable recovered;
  private final long blockMillis;
  private final long timeoutMillis;
  private final Thread thread;
  private final Object lock = new Object();
  private volatile boolean running = true;
  private EventLog.Sink sink; // confined to the reader thread once started
  private StreamId cursor; // confined to the reader thread: the newest entry read
  private StreamId controlCursor; // confined to the reader thread: the newest control entry read
  private long number; // confined to the reader thread: the newest entry's counter, 0 if unknown
  private boolean recovering; // confined to the reader thread: a read failed since the last check
  private StreamId lossMark; // confined to the reader thread: a loss mark still to write, or null

  /**
   * @param log the log, named in log lines
   * @param indexKey the key of the log's index stream
   * @param lossKey the key of the log's loss mark ({@link Scripts#LOSS_MARK})
   * @param control the control stream, read in the same blocking read as the index
   * @param presence renewed between reads, when due
   * @param progress where the reader reports how far it got
   * @param stats where the reader records what it read, its lag and its failures
   * @param connection the connection for the blocking reads, used by nothing else
   * @param recovered called on the reader thread when a read succeeds after reads failed
   * @param threadNamePrefix the reader thread is named {@code <threadNamePrefix>-1}
   */
  StreamReader(
      Object log,
      String indexKey,
      String lossKey,
      ControlChannel control,
      NodePresence presence,
      ReadProgress progress,
      LogStatsRecorder stats,
      RedisLink connection,
      Runnable recovered,
      long blockMillis,
      long timeoutMillis,
      String threadNamePrefix) {
    this.log = log;
    this.indexKey = indexKey;
    this.lossKey = lossKey;
    this.control = control;
    this.presence = presence;
    this.progress = progress;
    this.stats = stats;
    this.connection = connection;
    this.recovered = recovered;
    this.blockMillis = blockMillis;
    this.timeoutMillis = timeoutMillis;
    this.thread = HubThreads.daemonFactory(threadNamePrefix).newThread(this);
  }

  /** Starts the reader thread, which reports to {@code sink}; called once. */
  void start(EventLog.Sink sink) {
    this.sink = sink;
    thread.start();
  }

  /** Tells the reader to stop; the caller then closes its connection, which ends a blocked read. */
  void requestStop() {
    running = false;
    synchronized (lock) {
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
        readOnce();
        if (failingSinceNanos != 0) {
          long downMillis = (System.nanoTime() - failingSinceNanos) / 1_000_000;
          // INFO although not a start: it closes the WARNING of the outage for operators.
          LOG.log(
              Level.INFO,
              () ->
                  log
                      + " reading from Redis again after "
                      + downMillis
                      + " ms; subscribers catch up from where the log stood");
          failingSinceNanos = 0;
          recovered.run();
        }
        pauseMillis = 0;
      } catch (InterruptedException e) {
        if (!running) {
          break;
        }
        Thread.interrupted();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        if (!running) {
          break;
        }
        recovering = true;
        Throwable cause =
            e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        stats.readFailed(cause);
        if (failingSinceNanos == 0) {
          failingSinceNanos = System.nanoTime();
          LOG.log(
              Level.WARNING,
              () ->
                  log
                      + " cannot read from Redis ("
                      + cause
                      + "); live events are delayed until it is back");
          LOG.log(Level.DEBUG, () -> log + " read failure", cause);
        }
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, Math.max(MIN_PAUSE_MILLIS, pauseMillis * 2));
        pause(pauseMillis);
      }
    }
    LOG.log(Level.DEBUG, () -> thread.getName() + " stopped");
  }

  /** Reads the index and the control stream once (after finding where to start) and reports. */
  private void readOnce() throws InterruptedException, ExecutionException, TimeoutException {
    if (cursor == null) {
      cursor = newest(indexKey);
      progress.start(cursor);
    }
    if (recovering) {
      checkContinuity();
    }
    if (lossMark != null) {
      markLost(lossMark);
      lossMark = null;
    }
    if (controlCursor == null) {
      controlCursor = newest(control.key());
    }
    // After the cursors: the snapshot then covers every presence entry up to its head.
    long untilRenewalMillis = presence.renewIfDue(sink);
    long readBlockMillis = Math.min(blockMillis, untilRenewalMillis);
    stats.readStarting(readBlockMillis);
    List<StreamMessage<String, String>> messages =
        connection
            .async()
            .xread(
                XReadArgs.Builder.block(readBlockMillis).count(COUNT),
                StreamOffset.from(indexKey, cursor.toString()),
                StreamOffset.from(control.key(), controlCursor.toString()))
            .get(blockMillis + timeoutMillis, TimeUnit.MILLISECONDS);
    long receivedNanos = stats.now();
    stats.readAnswered();
    int indexEntries = 0;
    if (messages != null) {
      for (StreamMessage<String, String> message : messages) {
        if (control.key().equals(message.getStream())) {
          deliverControl(message);
        } else {
          deliver(message);
          indexEntries++;
        }
      }
    }
    stats.readReported(receivedNanos, indexEntries, COUNT);
  }

  /**
   * After a failed read, before reading on: if the index's newest entry is older than the newest
   * this node read, Redis lost entries (it restarted empty or from an older snapshot, or a replica
   * that lacked them took over), so the subscribers are told and reading goes on from the newest
   * entry Redis has: entries appended from now on may get ids below the old cursor (a new master
   * whose clock is behind), and skipping them would lose them silently.
   */
  private void checkContinuity() throws InterruptedException, ExecutionException, TimeoutException {
    StreamId newest = newest(indexKey);
    recovering = false;
    if (newest.compareTo(cursor) < 0) {
      StreamId read = cursor;
      lost(() -> "Redis no longer holds the entries up to " + read + " that this node read");
      lossMark = new StreamId(newest.ms(), newest.seq() + 1); // every id Redis still has is older
      cursor = newest;
      number = 0; // the counter restarts too; this loss is reported
    }
  }

  /** Moves the log's loss mark up to {@code mark}, so that older ids are unknown to every node. */
  private void markLost(StreamId mark)
      throws InterruptedException, ExecutionException, TimeoutException {
    connection
        .async()
        .<String>eval(
            Scripts.MARK_LOST.text(),
            ScriptOutputType.VALUE,
            new String[] {lossKey},
            mark.toString())
        .get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Entries were lost before this node reported them, or may have been: logs why, and tells the
   * hub, which sends its streams the gap notice.
   */
  private void lost(Supplier<String> why) {
    LOG.log(
        Level.WARNING, () -> log + ": " + why.get() + "; its subscribers are sent the gap notice");
    try {
      sink.onEventsLost();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, log + " hub threw while taking a loss", e);
    }
  }

  /** Returns the id of the newest entry of the stream {@code key}, or zero if it has none. */
  private StreamId newest(String key)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<StreamMessage<String, String>> newest =
        connection
            .async()
            .xrevrange(key, Range.create("-", "+"), io.lettuce.core.Limit.from(1))
            .get(timeoutMillis, TimeUnit.MILLISECONDS);
    StreamId id = newest.isEmpty() ? null : StreamId.parse(newest.get(0).getId());
    return id == null ? StreamId.ZERO : id;
  }

  private void deliverControl(StreamMessage<String, String> message) {
    StreamId id = StreamId.parse(message.getId());
    if (id == null || id.compareTo(controlCursor) <= 0) {
      return;
    }
    controlCursor = id;
    try {
      control.deliver(id, message.getBody(), sink);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, log + " hub threw while taking control entry " + id, e);
    }
  }

  private void deliver(StreamMessage<String, String> message) {
    StreamId id = StreamId.parse(message.getId());
    if (id == null || id.compareTo(cursor) <= 0) {
      return;
    }
    cursor = id;
    Map<String, String> fields = message.getBody();
    countEntry(id, fields);
    String topic = fields.get(EntryCodec.TOPIC);
    try {
      if (topic == null) {
        skip(id, "entry has no topic field " + EntryCodec.TOPIC);
      } else if (EntryCodec.isClosing(fields)) {
        LOG.log(Level.DEBUG, () -> log + " topic " + topic + " closed");
        sink.onTopicClosed(topic);
      } else {
        LoggedEvent event = decode(topic, id, fields);
        if (event != null) {
          sink.onAppended(event);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, log + " hub threw while taking entry " + id + " of topic " + topic, e);
    }
    progress.delivered(id);
  }

  /**
   * Checks the log-wide counter of each entry against the previous one: a jump means the index
   * trimmed entries before this node read them (it fell behind by more than the log keeps); a
   * counter that did not grow means Redis lost entries and started counting again (restarted empty
   * or from an older snapshot, or a failover to a replica that lacked them). Either way subscribers
   * may have missed events, and are told.
   */
  private void countEntry(StreamId id, Map<String, String> fields) {
    long current = EntryCodec.number(fields, EntryCodec.LOG_NUMBER);
    if (number > 0 && current > number + 1) {
      long missed = current - number - 1;
      stats.entriesMissed(missed);
      lost(
          () ->
              String.format(
                  "%d entries were trimmed from Redis before this node read them, up to %s"
                      + " (the reader fell behind by more than the log keeps)",
                  missed, id));
    } else if (number > 0 && current > 0 && current <= number) {
      long previous = number;
      lost(
          () ->
              String.format(
                  "the log's counter went back from %d to %d at %s: Redis lost entries"
                      + " (a restart or a failover)",
                  previous, current, id));
      lossMark = id;
    }
    number = current;
  }

  private LoggedEvent decode(String topic, StreamId id, Map<String, String> fields) {
    String epoch = fields.get(EntryCodec.EPOCH);
    try {
      if (epoch == null) {
        throw new IllegalArgumentException("entry has no epoch field " + EntryCodec.EPOCH);
      }
      ServerSentEvent event = EntryCodec.decode(fields);
      return new LoggedEvent(topic, EventId.format(epoch, id.toString()), event);
    } catch (IllegalArgumentException e) {
      skip(id, e.getMessage());
      return null;
    }
  }

  private void skip(StreamId id, String problem) {
    LOG.log(
        Level.WARNING,
        () -> log + " skipped index entry " + id + ", which this log did not write: " + problem);
  }

  /** Waits up to {@code millis}, or until {@link #requestStop()}. */
  private void pause(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (lock) {
      long remaining;
      while (running && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, remaining);
        } catch (InterruptedException e) {
          return; // the loop checks running; nothing else interrupts this thread
        }
      }
    }
  }
}
