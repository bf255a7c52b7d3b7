package org.ssekit.jpms;

import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts {@link NewsApplication} at {@code /api/*} on Jetty 12.1 ee11, on an ephemeral port, with
 * the servlet the first argument names (Jersey's {@code ServletContainer} or RESTEasy's {@code
 * HttpServlet30Dispatcher}), prints {@code listening on <port>}, and serves until its standard
 * input ends.
 */
public final class NewsServer {
  private NewsServer() {}

  /**
   * Runs the server.
   *
   * @param args the class name of the JAX-RS implementation's servlet
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder rest = context.addServlet(args[0], "/api/*");
    rest.setInitParameter("jakarta.ws.rs.Application", NewsApplication.class.getName());
    // RESTEasy matches resources after this prefix; Jersey ignores the parameter.
    rest.setInitParameter("resteasy.servlet.mapping.prefix", "/api");
    rest.setAsyncSupported(true);
    rest.setInitOrder(1);
    server.setHandler(context);
    server.start();
    System.out.println("listening on " + connector.getLocalPort());
    System.out.flush();
    // The test ends the server by closing the child's standard input.
    while (System.in.read() >= 0) {
      // keep serving
    }
    server.stop();
    NewsApplication.HUB.close();
  }
}
