package org.ssekit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ssekit.LoggedEvent;
import org.ssekit.OverflowPolicy;
import org.ssekit.Replay;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.UnknownIdPolicy;

/**
 * One subscriber's outbound queue: the encoded chunks not yet handed to its transport, bounded in
 * bytes, and the time its stream last made progress (for the keep-alive and stall checks).
 *
 * <p>A chunk {@linkplain #offer offered} that does not fit under the bound either ends the stream
 * ({@link OverflowPolicy#DISCONNECT}, the caller's part) or drops the oldest chunks and leaves a
 * gap notice in their place. A chunk larger than the bound still fits an empty queue. The start of
 * a stream (its first write and its replay) is bounded by the log's retention instead: until it has
 * been handed to the transport, live chunks may queue that much on top of the bound.
 *
 * <p><b>Counting:</b> the queue knows how many of its chunks are events and gap notices, and the
 * {@linkplain LatencySampling.Sample sample} of the oldest sampled event among them, so that a
 * delivery is counted once, when its bytes are handed to the transport ({@link #handedOver}), and a
 * sample is timed to its write's completion ({@link #written}). What is dropped or cleared is never
 * counted.
 *
 * <p><b>Thread safety:</b> guarded by the owning subscription's lock, which its {@link WriteLoop}
 * shares; {@link #bytes()} may be read without it, and {@link #handedOver} by the writing thread
 * (see there).
 */
final class OutboundQueue {
  /** The gap notice of a stream that lost events to the bound. */
  static final byte[] GAP_OVERFLOW = gap("overflow");

  /** The gap notice of a stream whose log lost events it may not have received. */
  static final byte[] GAP_LOG_LOST = gap("log-lost-events");

  private static final byte[] GAP_UNKNOWN_ID = gap("unknown-last-event-id");
  private static final VarHandle BYTES;

  static {
    try {
      BYTES = MethodHandles.lookup().findVarHandle(OutboundQueue.class, "bytes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  private final SubscriptionSettings settings;
  private final boolean dropOldest;
  private final HubCounters counters;
  private final WriteLoop writes;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(4);
  // Guarded by the lock; written with opaque stores so that bytes() can read it without the lock.
  // Not volatile: a volatile store is a full fence on x86, and this field changes on every offer
  // and every write; the statistics that read it need a recent untorn value, not ordering.
  private long bytes;
  private long replayAllowanceBytes;
  private long inFlightBytes;
  private boolean gapPending;
  private long progressNanos = System.nanoTime();
  private int queuedEvents;
  private int queuedGaps;
  private LatencySampling.Sample queuedSample; // or null
  private byte[] sampledChunk; // the chunk of queuedSample, to forget it if dropped
  // Set by drainTo for the batch it filled; see handedOver for why they need no lock.
  private int drainedEvents;
  private int drainedGaps;
  private LatencySampling.Sample inFlightSample; // @GuardedBy("lock"), or null

  OutboundQueue(SubscriptionSettings settings, HubCounters counters, WriteLoop writes) {
    this.settings = settings;
    this.dropOldest = settings.overflowPolicy() == OverflowPolicy.DROP_OLDEST;
    this.counters = counters;
    this.writes = writes;
  }

  private static byte[] gap(String data) {
    return EventStreamEncoder.encode(
        ServerSentEvent.builder().event(SseHub.GAP_EVENT_TYPE).data(data).build());
  }

  /** Returns the bytes queued and not yet handed to the transport. */
  private void setBytes(long value) {
    BYTES.setOpaque(this, value);
  }

  long bytes() {
    return (long) BYTES.getOpaque(this);
  }

  /** Returns the bytes the queue may hold now: the bound, plus what is left of the replay. */
  long boundBytes() {
    return settings.maxQueuedBytes() + replayAllowanceBytes;
  }

  /**
   * Queues the event {@code chunk}, with its latency {@code sample} (or null), under the bound; if
   * it does not fit, under {@link OverflowPolicy#DROP_OLDEST} drops the oldest chunks until it does
   * and notes a gap for them.
   *
   * @return false if it does not fit and nothing may be dropped: the subscriber overflows
   */
  boolean offer(byte[] chunk, LatencySampling.Sample sample) {
    if (!chunks.isEmpty() && bytes + chunk.length > boundBytes()) {
      if (!dropOldest) {
        return false;
      }
      while (!chunks.isEmpty() && bytes + chunk.length > boundBytes()) {
        dropOldest();
      }
      gapPending = true;
    }
    addEvent(chunk);
    if (sample != null && queuedSample == null) {
      queuedSample = sample;
      sampledChunk = chunk;
    }
    return true;
  }

  private void dropOldest() {
    byte[] dropped = chunks.pollFirst();
    setBytes(bytes - dropped.length);
    if (dropped == GAP_OVERFLOW || dropped == GAP_UNKNOWN_ID || dropped == GAP_LOG_LOST) {
      queuedGaps--;
    } else if (dropped != KEEP_ALIVE && dropped != settings.firstWrite()) {
      queuedEvents--;
      counters.overflowDrops.increment();
    }
    if (dropped == sampledChunk) {
      sampledChunk = null;
      queuedSample = null;
    }
  }

  /** Queues the event {@code chunk} whatever the bound. */
  void addEvent(byte[] chunk) {
    add(chunk);
    queuedEvents++;
  }

  /** Queues the gap notice {@code chunk} whatever the bound. */
  void addGap(byte[] chunk) {
    add(chunk);
    queuedGaps++;
  }

  /**
   * Queues {@code chunk}, which is neither an event nor a gap notice, whatever the bound; starts
   * the stall clock if the stream was idle.
   */
  void add(byte[] chunk) {
    if (chunks.isEmpty() && !writes.isWriting()) {
      progressNanos = System.nanoTime();
    }
    chunks.addLast(chunk);
    setBytes(bytes + chunk.length);
  }

  /**
   * Puts the start of the stream, the first write and the replay (after a gap notice if the
   * client's id is unknown, as {@code policy} says), in front of the chunks queued meanwhile.
   *
   * @return the id of the last replayed event, or null if none was replayed
   */
  String startWith(byte[] firstWrite, Replay replay, UnknownIdPolicy policy) {
    // Before the start only offered events are queued: no gap notice, keep-alive or sample.
    List<byte[]> offered = chunks.isEmpty() ? List.of() : new ArrayList<>(chunks);
    clear();
    add(firstWrite);
    List<LoggedEvent> replayed = List.of();
    if (replay.isKnown()) {
      replayed = replay.events();
    } else if (policy != UnknownIdPolicy.LIVE) {
      addGap(GAP_UNKNOWN_ID);
      if (policy == UnknownIdPolicy.NOTIFY_THEN_RETAINED) {
        replayed = replay.events();
      }
    }
    for (LoggedEvent event : replayed) {
      addEvent(LoggedEvents.encoded(event));
    }
    replayAllowanceBytes = bytes;
    for (byte[] chunk : offered) {
      addEvent(chunk);
    }
    return replayed.isEmpty() ? null : replayed.get(replayed.size() - 1).id();
  }

  /** Returns true if there is nothing to write, not even a gap notice. */
  boolean isDrained() {
    return chunks.isEmpty() && !gapPending;
  }

  /** Moves everything into {@code batch}, gap notice first; it is in flight until written. */
  void drainTo(List<byte[]> batch) {
    drainedEvents = queuedEvents;
    drainedGaps = queuedGaps;
    inFlightSample = queuedSample;
    queuedEvents = 0;
    queuedGaps = 0;
    queuedSample = null;
    sampledChunk = null;
    if (gapPending) {
      batch.add(GAP_OVERFLOW);
      drainedGaps++;
      gapPending = false;
    }
    // Polled one by one: addAll would copy the queue into a fresh array for every write.
    for (byte[] chunk = chunks.pollFirst(); chunk != null; chunk = chunks.pollFirst()) {
      batch.add(chunk);
    }
    inFlightBytes = bytes;
    setBytes(0);
    replayAllowanceBytes = 0;
  }

  /**
   * Without the lock, by the writing thread after its transport's write call returned: counts the
   * events and gap notices of the batch it wrote. Safe without the lock because the fields were set
   * by this thread's {@link #drainTo}, and the next {@code drainTo} comes only after this write
   * completed and this thread moved its loop on.
   */
  void handedOver() {
    counters.handedOver(drainedEvents, drainedGaps);
  }

  /**
   * A write completed: the stream made progress. Returns the sample of the sampled event in the
   * batch written, or null; once only.
   */
  LatencySampling.Sample written() {
    progressNanos = System.nanoTime();
    LatencySampling.Sample sample = inFlightSample;
    inFlightSample = null;
    return sample;
  }

  /**
   * Returns the bytes not yet written if nothing was for the stall timeout, as of {@code now}; or
   * -1 if the stream is not stalled.
   */
  long stalledBytes(long now) {
    boolean writing = writes.isWriting();
    if ((writing || !chunks.isEmpty()) && now - progressNanos >= settings.stallNanos()) {
      return bytes + (writing ? inFlightBytes : 0);
    }
    return -1;
  }

  /**
   * Queues a keep-alive comment if nothing is queued or being written, and nothing was for the
   * keep-alive interval, as of {@code now}.
   *
   * @return true if it queued one
   */
  boolean addKeepAliveIfIdle(long now) {
    if (writes.isWriting()
        || !chunks.isEmpty()
        || now - progressNanos < settings.keepAliveNanos()) {
      return false;
    }
    counters.keepAlivesSent.increment();
    add(KEEP_ALIVE);
    return true;
  }

  /** Drops everything queued (not what is in flight): the stream ended. */
  void clear() {
    chunks.clear();
    setBytes(0);
    queuedEvents = 0;
    queuedGaps = 0;
    queuedSample = null;
    sampledChunk = null;
  }
}
