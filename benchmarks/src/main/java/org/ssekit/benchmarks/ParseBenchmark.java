package org.ssekit.benchmarks;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.StreamException;
import com.launchdarkly.logging.LDLogger;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.jersey.client.ClientRequest;
import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.media.sse.EventInput;
import org.glassfish.jersey.media.sse.InboundEvent;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.message.MessageBodyWorkers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.ssekit.client.EventStreamParser;
import org.ssekit.client.ReceivedEvent;

/**
 * Parsing an event stream into events: ssekit's {@link EventStreamParser} (what sse-client reads
 * with) against okhttp-eventsource's parser (reached through its public {@code EventSource} over a
 * {@code ConnectStrategy} that returns the bytes) and Jersey's client reading ({@link EventInput},
 * the {@code ChunkedInput} its {@code SseEventSource} reads, with the client's own readers, then
 * {@code InboundEvent.readData()}).
 *
 * <p>Every contestant parses the same bytes: {@value #EVENTS} events with an id, a type and the
 * payload's data (one {@code data} line per line), and hands the type, id and data of each to a
 * {@link Blackhole}. Scores are per event ({@link OperationsPerInvocation}); {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is then bytes per event. MB/s = {@link #eventBytes} / score (ns) ×
 * 1000. {@link #setUp} checks that all three read exactly the same events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseG1GC", "-Xms1g", "-Xmx1g"})
@OperationsPerInvocation(ParseBenchmark.EVENTS)
public class ParseBenchmark {
  /** Events per stream parsed in one invocation. */
  static final int EVENTS = 100;

  /** The chunk size ssekit is fed in, as a network read delivers it. */
  private static final int CHUNK_BYTES = 8192;

  private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

  /** The payload: a short text, a multi-line text, or 4 KiB of JSON. */
  @Param({"short", "multiline", "json4k"})
  public String payload;

  private byte[] stream;

  /** The bytes of one event in the stream. */
  int eventBytes;

  private Client jersey;
  private MessageBodyWorkers workers;

  /** Builds the stream, boots Jersey and checks that every contestant reads the same events. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String data = EncoderBenchmark.data(payload);
    StringBuilder event = new StringBuilder("id: 12345\nevent: update\n");
    for (String line : data.split("\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    event.append('\n');
    byte[] one = event.toString().getBytes(StandardCharsets.UTF_8);
    eventBytes = one.length;
    stream = new byte[one.length * EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      System.arraycopy(one, 0, stream, i * one.length, one.length);
    }
    // The client's message body workers (they hold the InboundEvent reader), taken from a request
    // that a filter ends before it leaves.
    AtomicReference<MessageBodyWorkers> found = new AtomicReference<>();
    ClientRequestFilter capture =
        request -> {
          found.set(((ClientRequest) request).getWorkers());
          request.abortWith(Response.noContent().build());
        };
    jersey = ClientBuilder.newClient().register(SseFeature.class).register(capture);
    jersey.target("http://localhost/").request().get().close();
    workers = found.get();

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      expected.add("update/12345/" + data);
    }
    check("ssekit", expected, collect(this::ssekit));
    check("okhttp-eventsource", expected, collect(this::okhttpEventSource));
    check("jersey", expected, collect(this::jersey));
  }

  /** Closes the Jersey client. */
  @TearDown(Level.Trial)
  public void tearDown() {
    jersey.close();
  }

  /** ssekit: the stream fed in network-sized chunks to a new parser. */
  @Benchmark
  public void ssekit(Blackhole blackhole) {
    ssekit(consumer(blackhole));
  }

  /** okhttp-eventsource: its EventSource reading the stream through a connect strategy. */
  @Benchmark
  public void okhttpEventSource(Blackhole blackhole) throws StreamException {
    okhttpEventSource(consumer(blackhole));
  }

  /** Jersey: its client's EventInput over the stream, and readData() as its users call it. */
  @Benchmark
  public void jersey(Blackhole blackhole) {
    jersey(consumer(blackhole));
  }

  private static EventConsumer consumer(Blackhole blackhole) {
    return (type, id, data) -> {
      blackhole.consume(type);
      blackhole.consume(id);
      blackhole.consume(data);
    };
  }

  /** Runs ssekit on the stream; also used by {@link ParseCpuCost}. */
  void ssekit(EventConsumer consumer) {
    EventStreamParser parser =
        new EventStreamParser(
            new EventStreamParser.Handler() {
              @Override
              public void onEvent(ReceivedEvent event) {
                consumer.accept(event.type(), event.lastEventId(), event.data());
              }
            });
    for (int offset = 0; offset < stream.length; offset += CHUNK_BYTES) {
      parser.feed(stream, offset, Math.min(CHUNK_BYTES, stream.length - offset));
    }
    parser.close();
  }

  /** Runs okhttp-eventsource on the stream; also used by {@link ParseCpuCost}. */
  void okhttpEventSource(EventConsumer consumer) throws StreamException {
    InputStream in = new ByteArrayInputStream(stream);
    ConnectStrategy bytes =
        new ConnectStrategy() {
          @Override
          public Client createClient(LDLogger logger) {
            return new Client() {
              @Override
              public Result connect(String lastEventId) {
                return new Result(in, URI.create("http://localhost/"), null);
              }

              @Override
              public boolean awaitClosed(long timeoutMillis) {
                return true;
              }

              @Override
              public URI getOrigin() {
                return URI.create("http://localhost/");
              }

              @Override
              public void close() {}
            };
          }
        };
    try (EventSource source = new EventSource.Builder(bytes).logger(LDLogger.none()).build()) {
      for (int i = 0; i < EVENTS; i++) {
        MessageEvent event = source.readMessage();
        consumer.accept(event.getEventName(), event.getLastEventId(), event.getData());
      }
    }
  }

  /** Runs Jersey on the stream; also used by {@link ParseCpuCost}. */
  void jersey(EventConsumer consumer) {
    try (EventInput input = new ParseEventInput(new ByteArrayInputStream(stream), workers)) {
      for (int i = 0; i < EVENTS; i++) {
        InboundEvent event = input.read();
        consumer.accept(event.getName(), event.getId(), event.readData());
      }
    }
  }

  /** Receives the type, id and data of each event. */
  interface EventConsumer {
    void accept(String type, String id, String data);
  }

  /** A contestant run with a consumer, for the check in {@link #setUp}. */
  private interface Contestant {
    void run(EventConsumer consumer) throws Exception;
  }

  private static List<String> collect(Contestant contestant) throws Exception {
    List<String> seen = new ArrayList<>();
    contestant.run((type, id, data) -> seen.add(type + "/" + id + "/" + data));
    return seen;
  }

  private static void check(String name, List<String> expected, List<String> actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(name + " read other events than the stream has");
    }
  }

  /** Jersey's EventInput, whose constructor is protected, over a given stream. */
  private static final class ParseEventInput extends EventInput {
    ParseEventInput(InputStream in, MessageBodyWorkers workers) {
      super(
          in,
          NO_ANNOTATIONS,
          MediaType.SERVER_SENT_EVENTS_TYPE,
          new MultivaluedHashMap<>(),
          workers,
          new MapPropertiesDelegate());
    }
  }
}
