package org.ssekit.benchmarks;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.message.MessageBodyWorkers;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ssekit.ServerSentEvent;
import org.ssekit.internal.EventStreamEncoder;

/**
 * Encoding one event: ssekit's {@link EventStreamEncoder} against Jersey's real {@code
 * OutboundEventWriter}, obtained from a running Jersey application's {@code MessageBodyWorkers}
 * exactly as Jersey looks it up for every event it writes to a sink (never a re-implementation of
 * it).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseG1GC", "-Xms1g", "-Xmx1g"})
public class EncoderBenchmark {
  private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];
  private static final int EVENT_DELIMITER = '\n';

  /** The payload: a short text, a multi-line text, or 4 KiB of JSON. */
  @Param({"short", "multiline", "json4k"})
  public String payload;

  private ServerSentEvent event;
  private OutboundSseEvent outbound;
  private ApplicationHandler jersey;
  private MessageBodyWorkers workers;
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream(8192);

  /** Returns the data of the named payload. */
  static String data(String payload) {
    switch (payload) {
      case "short":
        return "hello, world";
      case "multiline":
        return "line one\nline two\nline three\nline four";
      case "json4k":
        {
          StringBuilder json = new StringBuilder("{\"items\":[");
          for (int i = 0; json.length() < 4096 - 64; i++) {
            json.append(i == 0 ? "" : ",")
                .append("{\"id\":")
                .append(i)
                .append(",\"name\":\"item-")
                .append(i)
                .append("\",\"ok\":true}");
          }
          return json.append("]}").toString();
        }
      default:
        throw new IllegalArgumentException("unknown payload: " + payload);
    }
  }

  /** Builds the events and boots a Jersey application with its SSE feature. */
  @Setup(Level.Trial)
  public void setUp() {
    String data = data(payload);
    event = ServerSentEvent.builder().id("12345").event("update").data(data).build();
    outbound =
        new OutboundEvent.Builder().id("12345").name("update").data(String.class, data).build();
    jersey = new ApplicationHandler(new ResourceConfig().register(SseFeature.class));
    workers = jersey.getInjectionManager().getInstance(MessageBodyWorkers.class);
  }

  /** Shuts the Jersey application down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    jersey.onShutdown(null);
  }

  /** ssekit: one event to its UTF-8 bytes. */
  @Benchmark
  public byte[] ssekit() {
    return EventStreamEncoder.encode(event);
  }

  /**
   * Jersey: the writer lookup and {@code writeTo} that a sink performs for every event, plus the
   * delimiter that its {@code ChunkedOutput} writes after each one.
   */
  @Benchmark
  @SuppressWarnings({"unchecked", "rawtypes"})
  public int jersey() throws IOException {
    sink.reset();
    MessageBodyWriter writer =
        workers.getMessageBodyWriter(
            OutboundSseEvent.class,
            OutboundSseEvent.class,
            NO_ANNOTATIONS,
            MediaType.SERVER_SENT_EVENTS_TYPE);
    writer.writeTo(
        outbound,
        OutboundSseEvent.class,
        OutboundSseEvent.class,
        NO_ANNOTATIONS,
        MediaType.SERVER_SENT_EVENTS_TYPE,
        new MultivaluedHashMap<String, Object>(),
        sink);
    sink.write(
        EVENT_DELIMITER); // the writer ends the data line; the sink's ChunkedOutput adds the blank
    // line
    return sink.size();
  }

  /** The bytes each encoder produced, for the check that both write the same event. */
  byte[] jerseyBytes() throws IOException {
    jersey();
    return sink.toByteArray();
  }
}
