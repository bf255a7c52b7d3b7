package org.ssekit.spring.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.spring.SseStream;

/**
 * Serves an {@link SseStream} returned by a Spring MVC handler method with {@link
 * ServletStreams#open}: the exchange goes async (no {@code SseEmitter}, no thread held per client)
 * and Spring MVC renders nothing more.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
public final class SseStreamReturnValueHandler implements HandlerMethodReturnValueHandler {
  private final ServletStreams streams;

  /**
   * Creates a handler that opens streams with {@code streams}.
   *
   * @throws NullPointerException if {@code streams} is null
   */
  public SseStreamReturnValueHandler(ServletStreams streams) {
    this.streams = Objects.requireNonNull(streams, "streams");
  }

  @Override
  public boolean supportsReturnType(MethodParameter returnType) {
    return SseStream.class.isAssignableFrom(returnType.getParameterType());
  }

  /**
   * Opens the stream.
   *
   * @throws IllegalStateException if the handler method returned null, or the request is not a
   *     servlet request that supports async (the message names the setting to change)
   * @throws UnsupportedOperationException if the stream's selection has more than one entry
   *     (sse-servlet does not serve selections yet)
   */
  @Override
  public void handleReturnValue(
      Object returnValue,
      MethodParameter returnType,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest) {
    mavContainer.setRequestHandled(true);
    if (returnValue == null) {
      throw new IllegalStateException(
          returnType.getExecutable() + " returned null: return an SseStream, or throw to refuse");
    }
    SseStream stream = (SseStream) returnValue;
    HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
    HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
    if (request == null || response == null) {
      throw new IllegalStateException("SseStream needs a servlet request: " + webRequest);
    }
    open(request, response, stream);
  }

  private void open(HttpServletRequest request, HttpServletResponse response, SseStream stream) {
    streams.open(request, response, stream.selection(), stream.listener());
  }
}
