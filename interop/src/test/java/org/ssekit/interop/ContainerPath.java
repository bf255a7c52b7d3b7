package org.ssekit.interop;

import java.net.URI;
import java.util.function.BiConsumer;
import org.ssekit.SseHub;
import org.ssekit.testkit.TestContainer;

/**
 * A server path on an embedded container: the {@link RequestLog} in front of everything, then what
 * the path deploys (the sse-servlet servlets, or the sse-jaxrs application) into the container.
 */
final class ContainerPath implements ServerPath {
  private final String id;
  private final String displayName;
  private final SseHub hub;
  private final TestContainer container;
  private final OpeningOffers offers;
  private final BiConsumer<TestContainer, SseHub> deployment;
  private final RequestLog requests = new RequestLog();
  private URI tlsBase; // set by start(), on the test thread

  /**
   * Creates a stopped path.
   *
   * @param hubName the name of the path's hub, which names its threads
   * @param offers the events offered to connections when they open, or null if the path's public
   *     API cannot send one (see {@link ServerPath#offers()})
   * @param deployment maps the path's servlets into the container, given the hub
   */
  ContainerPath(
      String id,
      String displayName,
      String hubName,
      TestContainer container,
      OpeningOffers offers,
      BiConsumer<TestContainer, SseHub> deployment) {
    this.id = id;
    this.displayName = displayName;
    this.hub = ServerPath.newHub(hubName);
    this.container = container;
    this.offers = offers;
    this.deployment = deployment;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String displayName() {
    return displayName;
  }

  @Override
  public URI start() throws Exception {
    container.filter(requests, true);
    deployment.accept(container, hub);
    container.tls(TlsCertificate.shared());
    URI base = URI.create("http://127.0.0.1:" + container.start());
    tlsBase = URI.create("https://127.0.0.1:" + container.tlsPort());
    return base;
  }

  @Override
  public URI tlsBase() {
    if (tlsBase == null) {
      throw new IllegalStateException(id + " is not started");
    }
    return tlsBase;
  }

  @Override
  public SseHub hub() {
    return hub;
  }

  @Override
  public RequestLog requests() {
    return requests;
  }

  @Override
  public OpeningOffers offers() {
    return offers;
  }

  @Override
  public void close() throws Exception {
    try {
      container.close();
    } finally {
      hub.close();
    }
  }
}
