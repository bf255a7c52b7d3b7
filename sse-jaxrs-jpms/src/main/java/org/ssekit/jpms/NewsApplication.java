package org.ssekit.jpms;

import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.ssekit.SseHub;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.jpms.fields.FieldInjectedResource;

/** The application: the news resource, and the feature of one hub. */
public final class NewsApplication extends Application {
  /** The hub the application's streams come from. */
  static final SseHub HUB = SseHub.builder().name("jpms").build();

  static {
    // A closed topic: its streams are refused with 204.
    HUB.closeTopic("archive");
  }

  /** Created by the JAX-RS implementation, from the servlet's init parameter. */
  public NewsApplication() {}

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(NewsResource.class, FieldInjectedResource.class);
  }

  // Deprecated in Jakarta REST 4.0 in favour of CDI, which this application does not use: the
  // feature is an instance (it holds the hub), and this is how an Application hands one over.
  @SuppressWarnings("deprecation")
  @Override
  public Set<Object> getSingletons() {
    return Set.of(SseHubFeature.of(HUB));
  }
}
