package org.ssekit.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * A servlet container on an ephemeral port that deploys and undeploys a WAR file while it keeps
 * running, as an application server does. Tomcat needs {@code tomcat-embed-core} on the class path;
 * Jetty needs {@code jetty-ee11-webapp} and {@code jetty-ee11-annotations}. The caller owns the
 * work directory (see {@link TempDirectory}).
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public interface WebContainer {
  /**
   * Starts the container and returns its port.
   *
   * @throws Exception whatever the container throws while starting
   */
  int start() throws Exception;

  /**
   * Deploys {@code war} at {@code contextPath} (such as {@code /chat}).
   *
   * @throws Exception whatever the container throws while deploying
   */
  void deploy(String contextPath, Path war) throws Exception;

  /**
   * Undeploys the application: stops and destroys its context; the container keeps running.
   *
   * @throws Exception whatever the container throws while undeploying
   */
  void undeploy() throws Exception;

  /**
   * Stops the container.
   *
   * @throws Exception whatever the container throws while stopping
   */
  void stop() throws Exception;

  /** Embedded Tomcat 11, deploying as its host does: the WAR unpacked into the app base. */
  static WebContainer tomcat(Path workDir) {
    return new WebContainer() {
      private final Tomcat tomcat = new Tomcat();
      private Context context;

      @Override
      public int start() throws Exception {
        Files.createDirectories(workDir.resolve("webapps"));
        tomcat.setBaseDir(workDir.toString());
        tomcat.getHost().setAppBase(workDir.resolve("webapps").toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.start();
        return connector.getLocalPort();
      }

      @Override
      public void deploy(String contextPath, Path war) {
        // Tomcat's embedded defaults would add Jasper's JSP servlet, which is not on the class path
        // (and
        // log a SEVERE on load): give the application the default servlet only, as a plain server
        // would.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        ContextConfig config =
            new ContextConfig() {
              @Override
              public void lifecycleEvent(LifecycleEvent event) {
                if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                  Context starting = (Context) event.getLifecycle();
                  Wrapper defaultServlet =
                      Tomcat.addServlet(
                          starting, "default", "org.apache.catalina.servlets.DefaultServlet");
                  defaultServlet.setLoadOnStartup(1);
                  starting.addServletMapping("/", "default");
                  Tomcat.addDefaultMimeTypeMappings(starting);
                }
                super.lifecycleEvent(event);
              }
            };
        context =
            tomcat.addWebapp(
                tomcat.getHost(), contextPath, war.toAbsolutePath().toString(), config);
      }

      @Override
      public void undeploy() {
        tomcat.getHost().removeChild(context);
      }

      @Override
      public void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
      }

      @Override
      public String toString() {
        return "tomcat-11";
      }
    };
  }

  /** Embedded Jetty 12.1 with the ee11 environment, annotations scanned. */
  static WebContainer jetty(Path workDir) {
    return new WebContainer() {
      private final Server server = new Server();
      private final ContextHandlerCollection contexts = new ContextHandlerCollection();
      private WebAppContext webapp;

      @Override
      public int start() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(contexts);
        server.start();
        return connector.getLocalPort();
      }

      @Override
      public void deploy(String contextPath, Path war) throws Exception {
        webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        webapp.setWar(war.toAbsolutePath().toString());
        Files.createDirectories(workDir.resolve("jetty-tmp"));
        webapp.setTempDirectory(workDir.resolve("jetty-tmp").toFile());
        // @WebServlet and @WebListener need the annotation configuration (jetty-ee11-annotations).
        webapp.addConfiguration(new org.eclipse.jetty.ee11.annotations.AnnotationConfiguration());
        contexts.addHandler(webapp);
        webapp.start();
      }

      @Override
      public void undeploy() throws Exception {
        webapp.stop();
        contexts.removeHandler(webapp);
        webapp.destroy();
      }

      @Override
      public void stop() throws Exception {
        server.stop();
      }

      @Override
      public String toString() {
        return "jetty-12-ee11";
      }
    };
  }
}
