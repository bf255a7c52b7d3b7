package org.ssekit.samples.war;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ssekit.ServerSentEvent;
import org.ssekit.SseHub;
import org.ssekit.servlet.SseHubListener;

/**
 * {@code POST /publish?topic=T}: publishes the UTF-8 body (at most 64 KiB) as one event and answers
 * {@code 202} with its id as {@code text/plain}.
 */
@WebServlet(urlPatterns = "/publish")
public class PublishServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final int MAX_BODY_BYTES = 64 * 1024;

  /** Created by the container. */
  public PublishServlet() {}

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    String topic = request.getParameter("topic");
    String problem = Topics.problem(topic);
    if (problem != null) {
      answer(response, 400, problem);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      answer(response, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    SseHub hub = (SseHub) getServletContext().getAttribute(SseHubListener.HUB_ATTRIBUTE);
    try {
      String id =
          hub.publish(topic, ServerSentEvent.of(new String(body, StandardCharsets.UTF_8)))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      answer(response, 202, id);
    } catch (ExecutionException e) {
      answer(response, 410, "topic closed: " + topic);
    } catch (TimeoutException e) {
      // Every 503 says when to come back: the hub's retryAfter, in whole seconds.
      response.setHeader(
          "Retry-After", Long.toString(Math.max(1, hub.config().retryAfter().toSeconds())));
      answer(response, 503, "publishing timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServletException("interrupted while publishing", e);
    }
  }

  private static void answer(HttpServletResponse response, int status, String text)
      throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
