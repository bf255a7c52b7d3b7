package org.ssekit.client.internal;

import java.util.Objects;
import java.util.concurrent.Flow;
import org.ssekit.client.ReceivedEvent;

/**
 * A cold {@link Flow.Publisher} of the events of a stream: each subscriber gets a source of its
 * own, started after {@code onSubscribe} and closed by {@code cancel}. The subscriber's demand is
 * the source's: without demand the source reads nothing more.
 *
 * <p>Signals follow the Reactive Streams rules: serial, {@code onComplete} after a {@code 204},
 * {@code onError} when the source fails (also for a request of {@code n <= 0}), nothing after
 * {@code cancel}. Reconnections are not signalled.
 *
 * <p><b>Thread safety:</b> thread-safe; immutable.
 */
public final class EventPublisher implements Flow.Publisher<ReceivedEvent> {
  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());

  private final Settings settings;

  /** Creates a publisher whose subscribers each read a source with these settings. */
  public EventPublisher(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ReceivedEvent> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    SubscriberSink sink = new SubscriberSink(subscriber);
    RealEventSource source = RealEventSource.create(settings, s -> sink, 0);
    sink.source = source;
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            source.request(n);
          }

          @Override
          public void cancel() {
            sink.cancelled = true;
            source.close();
          }
        });
    source.connect();
  }

  /** Hands events and the end to a subscriber. */
  private static final class SubscriberSink implements Sink {
    private final Flow.Subscriber<? super ReceivedEvent> subscriber;

    /** Set once, before the source starts. */
    private RealEventSource source;

    /** Volatile: set by cancel on any thread, read by the drain. */
    private volatile boolean cancelled;

    SubscriberSink(Flow.Subscriber<? super ReceivedEvent> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void open() {}

    @Override
    public void event(ReceivedEvent event) {
      if (cancelled) {
        return;
      }
      try {
        subscriber.onNext(event);
      } catch (RuntimeException | Error e) {
        // Rule 2.13 forbids it; the subscription is then void.
        LOG.log(System.Logger.Level.WARNING, source + " subscriber onNext threw; cancelling", e);
        cancelled = true;
        source.close();
      }
    }

    @Override
    public void comment(String comment) {}

    @Override
    public void failure(Throwable cause) {
      LOG.log(System.Logger.Level.DEBUG, () -> source + " reconnecting after", cause);
    }

    @Override
    public void closed(Throwable cause) {
      if (cancelled) {
        return;
      }
      try {
        if (cause == null) {
          subscriber.onComplete();
        } else {
          subscriber.onError(cause);
        }
      } catch (RuntimeException | Error e) {
        LOG.log(System.Logger.Level.WARNING, source + " subscriber threw at the end", e);
      }
    }
  }
}
