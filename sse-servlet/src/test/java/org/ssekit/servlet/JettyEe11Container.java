package org.ssekit.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;

/** Embedded Jetty 12.1 with the ee11 (Servlet 6.1) environment. */
public final class JettyEe11Container extends JettyContainer {
  private final ServletContextHandler context = new ServletContextHandler("/");

  @Override
  public String name() {
    return "jetty-ee11";
  }

  @Override
  protected Handler context() {
    return context;
  }

  @Override
  public TestContainer servlet(String pathSpec, HttpServlet servlet, boolean async) {
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(async);
    context.addServlet(holder, pathSpec);
    return this;
  }

  @Override
  public TestContainer filter(Filter filter, boolean async) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(async);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    return this;
  }

  @Override
  public TestContainer listener(ServletContextListener listener) {
    context.addEventListener(listener);
    return this;
  }
}
