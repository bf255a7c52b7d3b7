package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Providers;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ssekit.Authorizer;
import org.ssekit.Cors;
import org.ssekit.RefusalAnswer;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.Subscription;
import org.ssekit.SubscriptionRefusedException;
import org.ssekit.internal.HubThreads;
import org.ssekit.internal.TopicNames;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jaxrs.SseTopic;
import org.ssekit.jaxrs.SseTopics;

/**
 * The state behind an {@link SseHubFeature}: the hub, the sinks in flight, the lazily started send
 * pool and the application's providers once Jersey injected them.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
public final class RealSseTopics implements SseTopics {
  private static final System.Logger LOG = System.getLogger(RealSseTopics.class.getName());
  private static final long SEND_THREAD_IDLE_SECONDS = 2;

  private final SseHub hub;
  private final int sendThreads;
  final Duration retryAfter;
  final int bufferSize;
  final RefusalAnswer refusalAnswer;
  final Authorizer authorizer;
  final Cors cors; // or null: no CORS headers
  final SinkRegistry registry = new SinkRegistry();

  /** Parsed {@link SseTopic} templates per resource method; absent methods map to empty. */
  private final ConcurrentHashMap<Method, Optional<SelectionTemplate>> templates =
      new ConcurrentHashMap<>();

  private final Object poolLock = new Object();
  // @GuardedBy("poolLock"); started on first use, when no servlet container is underneath
  private ThreadPoolExecutor pool;
  // The stream filter of the application configured last: its Providers, injected by Jersey,
  // serialise
  // broadcast data (an instance registered in several applications uses the last one's providers).
  private volatile StreamFilter filter;
  // The configuration of the application configured last, when it is the runtime's Providers.
  private volatile Providers configuredProviders;

  /** Creates the topics of {@code hub}; see {@link SseHubFeature.Builder} for the settings. */
  public RealSseTopics(
      SseHub hub,
      int sendThreads,
      int bufferSize,
      RefusalAnswer refusalAnswer,
      Authorizer authorizer,
      Cors cors) {
    this.hub = hub;
    this.authorizer = authorizer;
    this.cors = cors;
    this.sendThreads = sendThreads;
    this.retryAfter = hub.config().retryAfter();
    this.bufferSize = bufferSize;
    this.refusalAnswer = refusalAnswer;
  }

  /** Registers the providers in a JAX-RS application; see {@link SseHubFeature#configure}. */
  public boolean configure(FeatureContext context) {
    context.property(SseHubFeature.TOPICS_PROPERTY, this);
    if (context.getConfiguration() instanceof Providers) {
      // RESTEasy's configuration is its provider factory; the Providers it injects reach it only
      // on a request's thread, and events are also broadcast from others.
      configuredProviders = (Providers) context.getConfiguration();
    }
    StreamFilter streamFilter =
        ServletProbe.isAvailable() ? ServletProbe.newFilter(this) : new StreamFilter(this);
    filter = streamFilter;
    context.register(streamFilter, StreamFilter.PRIORITY);
    context.register(new RawChunkWriter());
    context.register(new StreamHandoff.Writer());
    context.register(new SseTopicBinding());
    if (cors != null) {
      context.register(new CorsPreflight(cors), StreamFilter.PRIORITY);
    }
    return true;
  }

  @Override
  public SseHub hub() {
    return hub;
  }

  @Override
  public SseBroadcaster broadcaster(String topic) {
    return new RealSseBroadcaster(this, TopicNames.requireValid(topic));
  }

  @Override
  public void subscribe(SseEventSink sink, Selection selection) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(selection, "selection");
    register(new SinkTarget(sink, selection, null));
  }

  @Override
  public void subscribeWithPresence(SseEventSink sink, Selection selection) {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(selection, "selection");
    register(new SinkTarget(sink, selection, null, true));
  }

  /** Returns the application's providers, or null if the runtime has not injected them. */
  Providers providers() {
    Providers configured = configuredProviders;
    if (configured != null) {
      return configured;
    }
    StreamFilter current = filter;
    return current == null ? null : current.providers();
  }

  /** Returns the {@link SseTopic} template of {@code method}, or null if it has none. */
  SelectionTemplate template(Method method) {
    if (method == null) {
      return null;
    }
    return templates
        .computeIfAbsent(
            method,
            m -> {
              SseTopic annotation = m.getAnnotation(SseTopic.class);
              return annotation == null
                  ? Optional.empty()
                  : Optional.of(SelectionTemplate.parse(annotation.value()));
            })
        .orElse(null);
  }

  /**
   * A broadcaster registered a sink: taken over when Jersey writes it, or subscribed through it
   * now.
   */
  void register(SinkTarget target) {
    SinkRegistry.Registration registration = registry.register(target);
    StreamFilter current = filter;
    if (registration == SinkRegistry.Registration.PENDING && current != null) {
      current.registeredOnThisThread(target);
    }
    if (registration == SinkRegistry.Registration.SUBSCRIBE_NOW) {
      LOG.log(
          Level.DEBUG,
          () ->
              "sink registered with "
                  + target
                  + " after Jersey wrote its response:"
                  + " writing through SseEventSink.send");
      try {
        subscribeThroughSink(target);
      } catch (IllegalArgumentException | UnsupportedOperationException unserved) {
        // Jersey answered the request already: too late for a 400, the sink is closed.
        LOG.log(
            Level.WARNING,
            () -> "cannot stream " + target.selection + ": " + unserved.getMessage());
      }
    }
  }

  /**
   * Subscribes {@code target} with a transport that writes through its sink.
   *
   * @return the transport, or null if the hub refused the sink (which is then closed)
   * @throws IllegalArgumentException if the hub will not serve the selection, too large (the sink
   *     is then closed)
   * @throws UnsupportedOperationException if the hub's log serves one topic per stream and the
   *     selection is more (the sink is then closed)
   */
  SinkTransport subscribeThroughSink(SinkTarget target) {
    SinkTransport transport = new SinkTransport(target, sendPool(), refusalAnswer, retryAfter);
    Subscription subscription;
    try {
      subscription = hub.subscribe(target.selection, target.lastEventId(), transport, target);
    } catch (SubscriptionRefusedException refused) {
      LOG.log(
          Level.DEBUG, () -> "refused a sink of " + target.selection + ": " + refused.getMessage());
      target.refused();
      closeQuietly(target);
      return null;
    } catch (IllegalArgumentException | UnsupportedOperationException unserved) {
      target.refused();
      closeQuietly(target);
      throw unserved;
    }
    target.bind(subscription);
    return transport;
  }

  static void closeQuietly(SinkTarget target) {
    if (target.sink == null) {
      return; // an @SseTopic stream on RESTEasy: the servlet path completes the exchange
    }
    try {
      target.sink.close();
    } catch (RuntimeException e) {
      LOG.log(Level.TRACE, "IGNORED: closing a sink failed", e);
    }
  }

  private Executor sendPool() {
    synchronized (poolLock) {
      if (pool == null) {
        pool =
            new ThreadPoolExecutor(
                sendThreads,
                sendThreads,
                SEND_THREAD_IDLE_SECONDS,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                HubThreads.daemonFactory("ssekit-" + hub.config().name() + "-jaxrs-send"));
        pool.allowCoreThreadTimeOut(true);
      }
      return pool;
    }
  }

  @Override
  public String toString() {
    return "RealSseTopics{hub=" + hub.config().name() + "}";
  }
}
