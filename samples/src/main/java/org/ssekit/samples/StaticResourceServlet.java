package org.ssekit.samples;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the page: {@code /} is {@code index.html}, plus its script and stylesheet, from the class
 * path. Everything else not mapped to another servlet is a 404. The files are read once, at
 * construction.
 */
final class StaticResourceServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final String BASE = "/org/ssekit/samples/web/";

  private record Resource(String contentType, byte[] bytes) {}

  private final transient Map<String, Resource> resources =
      Map.of(
          "/", load("index.html", "text/html;charset=UTF-8"),
          "/app.js", load("app.js", "text/javascript;charset=UTF-8"),
          "/app.css", load("app.css", "text/css;charset=UTF-8"),
          "/favicon.svg", load("favicon.svg", "image/svg+xml"));

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    // Mapped as the default servlet: a path no servlet serves is a 404 whatever the method.
    String path = path(request);
    if (!resources.containsKey(path)) {
      PlainText.answer(
          response, HttpServletResponse.SC_NOT_FOUND, "not found: " + ChatInput.echo(path));
      return;
    }
    super.service(request, response);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Resource resource = resources.get(path(request));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(resource.contentType());
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(resource.bytes().length);
    response.getOutputStream().write(resource.bytes());
  }

  private static String path(HttpServletRequest request) {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return path.isEmpty() ? "/" : path;
  }

  private static Resource load(String name, String contentType) {
    try (InputStream in = StaticResourceServlet.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("resource missing from the class path: " + BASE + name);
      }
      return new Resource(contentType, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BASE + name, e);
    }
  }
}
