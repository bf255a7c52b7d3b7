package org.ssekit.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.ssekit.RefusalAnswer;

/**
 * The HTTP side of an event stream that every adapter shares, in one place so that the servlet and
 * the JAX-RS adapters answer with the same bytes and headers: the response head of a stream, where
 * a reconnecting client's last event id comes from, the answer to a refused stream request (its
 * status, its {@code Retry-After}, its jittered {@code retry:}), and the joining of a write's
 * chunks. Plain JDK types only: the adapters pass the values their own request and response types
 * hold.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
public final class StreamHttp {
  /**
   * The content type of every stream. Exactly this: Chromium rejects a stream declared in another
   * charset (ISO-8859-1 is some containers' default).
   */
  public static final String CONTENT_TYPE = "text/event-stream;charset=UTF-8";

  /** The request header a reconnecting {@code EventSource} sends. */
  public static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";

  /** The query parameter that polyfills send instead of the {@link #LAST_EVENT_ID_HEADER}. */
  public static final String LAST_EVENT_ID_PARAMETER = "lastEventId";

  /** The response header of a refusal that tells the client when to come back. */
  public static final String RETRY_AFTER_HEADER = "Retry-After";

  /** The least {@code retry:} of a {@link RefusalAnswer#RETRY_STREAM refusal}, in milliseconds. */
  public static final long MIN_REFUSAL_RETRY_MILLIS = 1000;

  private StreamHttp() {}

  /**
   * Hands {@code header} the name and value of each header of a stream's response besides its
   * {@linkplain #CONTENT_TYPE content type} (which the adapters set through their own API), in the
   * order they are to be set.
   *
   * @throws NullPointerException if {@code header} is null
   */
  public static void forEachStreamHeader(BiConsumer<String, String> header) {
    header.accept("Cache-Control", "no-cache");
    // nginx buffers proxied responses unless told not to.
    header.accept("X-Accel-Buffering", "no");
  }

  /**
   * Returns the client's last event id: the {@link #LAST_EVENT_ID_HEADER} header if the request has
   * one, else its {@link #LAST_EVENT_ID_PARAMETER} query parameter, else null.
   *
   * @param header the request's {@code Last-Event-ID} header, or null if absent
   * @param queryParameter looks up the request's {@code lastEventId} query parameter (null if
   *     absent); called only without the header, so that the query is not parsed when not needed
   * @throws NullPointerException if the header is absent and {@code queryParameter} is null
   */
  public static String lastEventId(String header, Supplier<String> queryParameter) {
    if (header != null) {
      return header;
    }
    return queryParameter.get();
  }

  /**
   * Returns the value of the {@link #RETRY_AFTER_HEADER} header of a refusal: {@code retryAfter} in
   * whole seconds, at least 1 (a client told 0 would come straight back).
   *
   * @throws NullPointerException if {@code retryAfter} is null
   */
  public static String retryAfterSeconds(Duration retryAfter) {
    return Long.toString(Math.max(1, retryAfter.toSeconds()));
  }

  /**
   * Returns the status of the answer to a stream request refused before its first byte: {@code 204}
   * for a closed topic (gone for good, whatever {@code answer} says), else {@code 200} for {@link
   * RefusalAnswer#RETRY_STREAM} (with the stream headers and a {@link #refusalBody}) and {@code
   * 503} for {@link RefusalAnswer#SERVICE_UNAVAILABLE} (with {@link #retryAfterSeconds}).
   *
   * @throws NullPointerException if {@code answer} is null
   */
  public static int refusalStatus(RefusalAnswer answer, boolean topicClosed) {
    if (topicClosed) {
      return 204;
    }
    switch (answer) {
      case RETRY_STREAM:
        return 200;
      case SERVICE_UNAVAILABLE:
        return 503;
      default:
        throw new AssertionError(answer);
    }
  }

  /**
   * Returns the body of a {@link RefusalAnswer#RETRY_STREAM} refusal: one {@code retry:} field of
   * {@link #refusalRetryMillis} and its blank line, nothing else (no {@code id:}, so the client
   * keeps its last event id).
   *
   * @throws NullPointerException if {@code retryAfter} is null
   */
  public static byte[] refusalBody(Duration retryAfter) {
    return EventStreamEncoder.encodeRetry(
        Duration.ofMillis(refusalRetryMillis(retryAfter, ThreadLocalRandom.current())));
  }

  /**
   * Returns the reconnection time of a {@link RefusalAnswer#RETRY_STREAM} refusal in milliseconds:
   * uniformly random between {@code max(1 s, retryAfter / 2)} and {@code max(1 s, retryAfter * 3 /
   * 2)}, both included, so that refused clients spread their return over a window around the hub's
   * {@code retryAfter} instead of coming back in the same millisecond, and never sooner than
   * {@value #MIN_REFUSAL_RETRY_MILLIS} ms. With the default 5 s: 2.5 s to 7.5 s.
   *
   * @throws NullPointerException if an argument is null
   */
  public static long refusalRetryMillis(Duration retryAfter, RandomGenerator random) {
    long base =
        retryAfter.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0
            ? Long.MAX_VALUE
            : Math.max(0, retryAfter.toMillis());
    long low = Math.max(MIN_REFUSAL_RETRY_MILLIS, base / 2);
    long high = Math.max(low, base > Long.MAX_VALUE / 3 * 2 ? Long.MAX_VALUE : base + base / 2);
    if (low == high) {
      return low;
    }
    // nextLong's bound is exclusive; at Long.MAX_VALUE the top value is left out, which is moot.
    return random.nextLong(low, high == Long.MAX_VALUE ? high : high + 1);
  }

  /**
   * Returns the plain-text reason of the {@code 400} that answers a stream request whose selection
   * the hub would not serve: {@code refused} is what {@code SseHub.subscribe(Selection, ...)}
   * threw, an {@link IllegalArgumentException} (more entries than {@code maxSelectionSize}: its
   * message) or an {@link UnsupportedOperationException} (a log that serves one topic per stream: a
   * fixed text, as its message names the log, which is no business of the client's).
   *
   * @throws NullPointerException if {@code refused} is null
   */
  public static String unservedSelectionReason(RuntimeException refused) {
    if (refused instanceof UnsupportedOperationException) {
      return "this server streams one topic per request: a selection of several is not served";
    }
    return refused.getMessage();
  }

  /** Returns the number of bytes in {@code chunks}. */
  public static int length(List<byte[]> chunks) {
    int length = 0;
    // Indexed: an iterator would be an allocation per write.
    for (int i = 0, n = chunks.size(); i < n; i++) {
      length += chunks.get(i).length;
    }
    return length;
  }

  /**
   * Returns the bytes of {@code chunks} in order, as one array: the chunk itself if there is only
   * one (shared with the other subscribers of its event: only read it), else a new array.
   */
  public static byte[] concat(List<byte[]> chunks) {
    return chunks.size() == 1 ? chunks.get(0) : concat(chunks, length(chunks));
  }

  /**
   * Returns the bytes of {@code chunks} in order, as one array, given their {@linkplain
   * #length(List) length}: the chunk itself if there is only one (shared: only read it), else a new
   * array.
   */
  public static byte[] concat(List<byte[]> chunks, int length) {
    int size = chunks.size();
    if (size == 1) {
      return chunks.get(0);
    }
    byte[] bytes = new byte[length];
    int offset = 0;
    for (int i = 0; i < size; i++) {
      byte[] chunk = chunks.get(i);
      System.arraycopy(chunk, 0, bytes, offset, chunk.length);
      offset += chunk.length;
    }
    return bytes;
  }
}
