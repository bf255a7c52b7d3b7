package org.ssekit.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Puts the {@link SseStreamReturnValueHandler} first among the return value handlers of every
 * {@link RequestMappingHandlerAdapter}, once all singletons exist.
 *
 * <p>Why not {@code WebMvcConfigurer.addReturnValueHandlers}: Spring MVC consults handlers added
 * there only after its own, and its {@code @ResponseBody} handler claims every return value of a
 * {@code @RestController}, so an {@code SseStream} would be written as JSON. Ours supports only
 * {@code SseStream}, so going first changes nothing for any other return type.
 *
 * <p><b>Thread safety:</b> called once by the container, at start.
 */
public final class ReturnValueHandlerInstaller implements SmartInitializingSingleton {
  private final ObjectProvider<RequestMappingHandlerAdapter> adapters;
  private final SseStreamReturnValueHandler handler;

  /**
   * Creates an installer of {@code handler} into {@code adapters}.
   *
   * @throws NullPointerException if an argument is null
   */
  public ReturnValueHandlerInstaller(
      ObjectProvider<RequestMappingHandlerAdapter> adapters, SseStreamReturnValueHandler handler) {
    this.adapters = Objects.requireNonNull(adapters, "adapters");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  @Override
  public void afterSingletonsInstantiated() {
    adapters.orderedStream().forEach(this::install);
  }

  private void install(RequestMappingHandlerAdapter adapter) {
    List<HandlerMethodReturnValueHandler> current = adapter.getReturnValueHandlers();
    if (current == null || current.contains(handler)) {
      return;
    }
    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(current.size() + 1);
    handlers.add(handler);
    handlers.addAll(current);
    adapter.setReturnValueHandlers(handlers);
  }
}
