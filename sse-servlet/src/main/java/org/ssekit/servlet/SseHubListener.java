package org.ssekit.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import org.ssekit.SseHub;

/**
 * Gives a web application one {@link SseHub}: builds it when the context starts, stores it in the
 * context attribute {@link #HUB_ATTRIBUTE} (where {@link SseServlet} finds it), and closes it when
 * the context stops, which ends every stream after a {@code retry:} with random jitter and stops
 * the hub's threads, so a redeploy leaks nothing.
 *
 * <p>Register it with {@code @WebListener} on a subclass, in {@code web.xml}, or with {@code
 * ServletContext.addListener}. Context init parameters tune the hub: {@code
 * ssekit.keepAliveSeconds}, {@code ssekit.stallTimeoutSeconds}, {@code ssekit.maxQueuedBytes},
 * {@code ssekit.maxSubscribers}; override {@link #configure} for anything else.
 *
 * <p><b>Thread safety:</b> called by the container only.
 */
public class SseHubListener implements ServletContextListener {
  /** The servlet context attribute that holds the hub. */
  public static final String HUB_ATTRIBUTE = SseHub.class.getName();

  /** Creates the listener. */
  public SseHubListener() {}

  /**
   * Configures the hub; the default applies the context init parameters, each a whole number of at
   * least 1 ({@code ssekit.maxSubscribers} at most {@value Integer#MAX_VALUE}).
   *
   * @throws IllegalArgumentException if a parameter is not a whole number or out of range; the
   *     message names the parameter
   */
  protected SseHub.Builder configure(SseHub.Builder builder, ServletContext context) {
    String keepAlive = context.getInitParameter("ssekit.keepAliveSeconds");
    if (keepAlive != null) {
      builder.keepAlive(
          Duration.ofSeconds(parse("ssekit.keepAliveSeconds", keepAlive, Long.MAX_VALUE)));
    }
    String stall = context.getInitParameter("ssekit.stallTimeoutSeconds");
    if (stall != null) {
      builder.stallTimeout(
          Duration.ofSeconds(parse("ssekit.stallTimeoutSeconds", stall, Long.MAX_VALUE)));
    }
    String maxQueued = context.getInitParameter("ssekit.maxQueuedBytes");
    if (maxQueued != null) {
      builder.maxQueuedBytes(parse("ssekit.maxQueuedBytes", maxQueued, Long.MAX_VALUE));
    }
    String maxSubscribers = context.getInitParameter("ssekit.maxSubscribers");
    if (maxSubscribers != null) {
      builder.maxSubscribers(
          (int) parse("ssekit.maxSubscribers", maxSubscribers, Integer.MAX_VALUE));
    }
    return builder;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    String path = context.getContextPath().replaceAll("[^A-Za-z0-9_.-]", "");
    String name = path.isEmpty() ? "root" : path.length() > 32 ? path.substring(0, 32) : path;
    SseHub hub = configure(SseHub.builder().name(name), context).build();
    context.setAttribute(HUB_ATTRIBUTE, hub);
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    Object hub = event.getServletContext().getAttribute(HUB_ATTRIBUTE);
    event.getServletContext().removeAttribute(HUB_ATTRIBUTE);
    if (hub instanceof SseHub) {
      ((SseHub) hub).close();
    }
  }

  /** Returns the init parameter {@code name}'s {@code value}, a whole number in 1..{@code max}. */
  private static long parse(String name, String value, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a whole number: " + value, e);
    }
    if (parsed < 1) {
      throw new IllegalArgumentException(name + " < 1: " + parsed);
    }
    if (parsed > max) {
      throw new IllegalArgumentException(name + " > " + max + ": " + parsed);
    }
    return parsed;
  }
}
