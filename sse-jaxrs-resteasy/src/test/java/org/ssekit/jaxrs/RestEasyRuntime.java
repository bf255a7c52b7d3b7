package org.ssekit.jaxrs;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.Map;
import org.jboss.resteasy.core.ResteasyContext;
import org.jboss.resteasy.plugins.providers.sse.OutboundSseEventImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.plugins.server.servlet.ResteasyContextParameters;
import org.jboss.resteasy.plugins.server.servlet.ServletBootstrap;
import org.jboss.resteasy.plugins.server.servlet.ServletContainerDispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

/**
 * RESTEasy through its servlet integration ({@code HttpServlet30Dispatcher}, async), serving an
 * {@link Application} instance; no server without servlet container is under test.
 */
public final class RestEasyRuntime implements JaxrsRuntime {
  /** Created by {@link JaxrsRuntime#current()}. */
  public RestEasyRuntime() {}

  @Override
  public String name() {
    String version = ResteasyDeployment.class.getPackage().getImplementationVersion();
    return "resteasy " + (version == null ? "(version unknown)" : version);
  }

  @Override
  public HttpServlet servlet(Application application) {
    return new ApplicationDispatcher(application);
  }

  @Override
  public OutboundSseEvent.Builder newEventBuilder() {
    return new OutboundSseEventImpl.BuilderImpl();
  }

  /**
   * Where RESTEasy's sink writes to the servlet response, blocking when the client does not read.
   */
  @Override
  public String blockingWriteFrame() {
    return "org.jboss.resteasy.plugins.server.servlet.HttpServletResponseWrapper$DeferredOutputStream"
        + ".write";
  }

  @Override
  public boolean hasServerWithoutServlet() {
    return false;
  }

  @Override
  public TestServer serverWithoutServlet(Application application) {
    return null;
  }

  /**
   * RESTEasy's async servlet, whose deployment serves the given application instance rather than a
   * class named in an init parameter (the suites register instances: the feature, filters).
   */
  static final class ApplicationDispatcher extends HttpServlet30Dispatcher {
    private static final long serialVersionUID = 1L;
    private final transient Application application;
    private transient ServletConfig config;

    ApplicationDispatcher(Application application) {
      this.application = application;
    }

    @Override
    public void init(ServletConfig servletConfig) throws ServletException {
      // As the dispatcher's own init, with a bootstrap whose deployment holds the instance.
      config = servletConfig;
      Map<Class<?>, Object> context = ResteasyContext.getContextDataMap();
      context.put(ServletContext.class, servletConfig.getServletContext());
      context.put(ServletConfig.class, servletConfig);
      servletContainerDispatcher = new ServletContainerDispatcher(servletConfig);
      servletContainerDispatcher.init(
          servletConfig.getServletContext(),
          new ServletBootstrap(servletConfig) {
            @Override
            public String getParameter(String name) {
              if (ResteasyContextParameters.RESTEASY_SERVLET_MAPPING_PREFIX.equals(name)) {
                return mappingPrefix(servletConfig);
              }
              return super.getParameter(name);
            }

            @Override
            public ResteasyDeployment createDeployment() {
              ResteasyDeployment deployment = super.createDeployment();
              deployment.setApplication(application);
              return deployment;
            }
          },
          this,
          this);
    }

    /**
     * Returns the prefix the servlet is mapped at ({@code /api} for {@code /api/*}), which RESTEasy
     * strips before matching resources; a web.xml would say it in {@code
     * resteasy.servlet.mapping.prefix}.
     */
    private static String mappingPrefix(ServletConfig servletConfig) {
      ServletRegistration registration =
          servletConfig.getServletContext().getServletRegistration(servletConfig.getServletName());
      for (String mapping : registration.getMappings()) {
        if (mapping.endsWith("/*")) {
          return mapping.substring(0, mapping.length() - 2);
        }
      }
      return "";
    }

    @Override
    public ServletConfig getServletConfig() {
      return config;
    }
  }
}
