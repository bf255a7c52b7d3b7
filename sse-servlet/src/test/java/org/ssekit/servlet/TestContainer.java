package org.ssekit.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;

/**
 * An embedded servlet container started on an ephemeral port, so that one scenario suite runs on
 * every container. Implementations exist per container; the compatibility module adds Servlet 6.0
 * ones.
 */
public interface TestContainer extends AutoCloseable {
  /** Returns a short name for test reports, such as {@code jetty-ee11}. */
  String name();

  /** Maps {@code servlet} at {@code pathSpec}, with async support unless {@code async} is false. */
  TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async);

  /**
   * Maps {@code filter} in front of everything, with async support unless {@code async} is false.
   */
  TestContainer filter(Filter filter, boolean async);

  /** Adds a context listener. */
  TestContainer listener(ServletContextListener listener);

  /** Puts a gzip compression handler or connector setting in front of the context. */
  TestContainer compression();

  /** Starts the container and returns its port. */
  int start() throws Exception;

  /** Stops only the web application (as an undeploy does), leaving the connector up. */
  void stopContext() throws Exception;

  /** Stops the container. */
  @Override
  void close() throws Exception;

  /** Maps {@code servlet} at {@code pathSpec} with async support. */
  default TestContainer servlet(String pathSpec, HttpServlet servlet) {
    return servlet(pathSpec, servlet, true);
  }
}
