package org.ssekit.testkit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;

/**
 * Embedded Jetty 12.1 with the ee10 (Servlet 6.0) environment; needs {@code jetty-ee10-servlet} on
 * the class path.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public final class JettyEe10Container extends JettyContainer {
  private final ServletContextHandler context = new ServletContextHandler("/");

  /** Creates a container with {@link ContainerSettings#DEFAULTS}. */
  public JettyEe10Container() {
    this(ContainerSettings.DEFAULTS);
  }

  /** Creates a container with {@code settings}. */
  public JettyEe10Container(ContainerSettings settings) {
    this(settings, null);
  }

  /**
   * Creates a container with {@code settings} whose server takes its buffers from {@code
   * bufferPool} (Jetty's default pool if it is null).
   */
  public JettyEe10Container(ContainerSettings settings, ByteBufferPool bufferPool) {
    super(settings, bufferPool);
  }

  @Override
  public String name() {
    return "jetty-ee10";
  }

  @Override
  protected Handler context() {
    return context;
  }

  @Override
  protected void addServlet(
      String pathSpec, HttpServlet servlet, boolean async, boolean onStartup) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(async);
    if (onStartup) {
      holder.setInitOrder(1);
    }
    context.addServlet(holder, pathSpec);
  }

  @Override
  protected void addFilter(Filter filter, boolean async) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(async);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  @Override
  protected void addListener(ServletContextListener listener) {
    context.addEventListener(listener);
  }
}
