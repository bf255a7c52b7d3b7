package org.ssekit.servlet;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.ssekit.RefusalAnswer;
import org.ssekit.SseHub;

/**
 * A servlet that serves event streams: subclass it, decide per request which topic (or {@linkplain
 * Admission#accept(org.ssekit.Selection) selection of topics}) the client joins, or refuse it, in
 * {@link #admit}, and map it with async support enabled:
 *
 * <pre>{@code
 * @WebServlet(urlPatterns = "/events", asyncSupported = true)
 * public class NewsEvents extends SseServlet {
 *   protected Admission admit(HttpServletRequest request) {
 *     return Admission.accept("news");
 *   }
 * }
 * }</pre>
 *
 * <p><b>The hub</b> comes from the constructor, or else from the servlet context attribute {@link
 * SseHubListener#HUB_ATTRIBUTE} (set by {@link SseHubListener}), or else the servlet builds its own
 * hub in {@link #init(ServletConfig)} and closes it in {@link #destroy()}, which ends every stream
 * after a {@code retry:} with random jitter. A hub the servlet did not build is closed by its
 * owner.
 *
 * <p><b>Responses:</b> a {@code GET} becomes a stream (see {@link ServletStreams}); a refusal by
 * {@link #admit} answers its 4xx status with a plain-text reason, a bad topic name or a selection
 * the hub will not serve (too many entries) {@code 400}; a closed topic answers {@code 204}; a
 * passing refusal (an admission limit, a hub starting or stopping, the log unreachable before the
 * first byte) answers {@code 200} with one jittered {@code retry:} and the end of the stream
 * ({@link RefusalAnswer#RETRY_STREAM}, the default), or {@code 503} with {@code Retry-After}
 * ({@link RefusalAnswer#SERVICE_UNAVAILABLE}: set the servlet init parameter {@value
 * #REFUSAL_ANSWER_PARAMETER}, or override {@link #configure}); a request without async support
 * {@code 500}, naming the setting to change. With an {@linkplain ServletStreams.Builder#authorizer
 * authorizer} (set in {@link #configure}), the selection {@link #admit} chose is authorized before
 * the stream opens: {@code 401} or {@code 403} with a plain-text reason. With {@linkplain
 * ServletStreams.Builder#cors allowed origins}, every answer carries their CORS headers and {@code
 * OPTIONS} preflights are answered.
 *
 * <p><b>Thread safety:</b> thread-safe, as servlets must be; {@link #admit} is called concurrently.
 */
public abstract class SseServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final System.Logger LOG = System.getLogger(SseServlet.class.getName());

  /**
   * The servlet init parameter that names the {@link RefusalAnswer} of this servlet's streams
   * ({@code RETRY_STREAM} or {@code SERVICE_UNAVAILABLE}); {@link #configure} may still change it.
   */
  public static final String REFUSAL_ANSWER_PARAMETER = "ssekit.refusalAnswer";

  private final transient SseHub givenHub;
  private transient volatile ServletStreams streams;
  private transient volatile boolean ownsHub;

  /** Creates a servlet that takes its hub from the context, or builds its own. */
  protected SseServlet() {
    this.givenHub = null;
  }

  /**
   * Creates a servlet that serves topics of {@code hub}; the caller closes the hub.
   *
   * @throws NullPointerException if {@code hub} is null
   */
  protected SseServlet(SseHub hub) {
    this.givenHub = Objects.requireNonNull(hub, "hub");
  }

  /**
   * Decides whether the client of {@code request} joins a topic, and which one. Called on a
   * container thread for every {@code GET}; may block briefly (for example to check a session).
   *
   * @return {@link Admission#accept(String)}, {@link Admission#accept(org.ssekit.Selection)} or
   *     {@link Admission#refuse(int, String)}
   */
  protected abstract Admission admit(HttpServletRequest request)
      throws IOException, ServletException;

  /**
   * Configures the streams of this servlet; override to change the response buffer, the {@link
   * ServletStreams.Builder#refusalAnswer refusal answer}, or to set an {@link
   * ServletStreams.Builder#authorizer authorizer} or {@link ServletStreams.Builder#cors allowed
   * origins}. The {@code retry:} and {@code Retry-After} of a refusal derive from the hub's {@link
   * SseHub.Builder#retryAfter retryAfter}.
   *
   * @param builder a builder for streams of this servlet's hub
   * @return the builder to build the streams with, usually {@code builder}
   */
  protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
    return builder;
  }

  /**
   * Returns the hub this servlet serves.
   *
   * @throws IllegalStateException if the servlet is not initialised
   */
  public final SseHub hub() {
    ServletStreams current = streams;
    if (current == null) {
      throw new IllegalStateException(getClass().getName() + " is not initialised");
    }
    return current.hub();
  }

  /**
   * Finds or builds the hub (see the class comment) and configures this servlet's streams.
   *
   * @throws ServletException if the init parameter {@value #REFUSAL_ANSWER_PARAMETER} names no
   *     {@link RefusalAnswer}
   */
  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    // Checked before a hub is built, so that a bad value leaves no hub (and no threads) behind.
    String answerParameter = config.getInitParameter(REFUSAL_ANSWER_PARAMETER);
    RefusalAnswer answer = answerParameter == null ? null : refusalAnswer(answerParameter.trim());
    SseHub hub = givenHub;
    if (hub == null) {
      Object attribute = config.getServletContext().getAttribute(SseHubListener.HUB_ATTRIBUTE);
      if (attribute instanceof SseHub) {
        hub = (SseHub) attribute;
      } else {
        hub = SseHub.builder().name(hubName(config.getServletName())).build();
        ownsHub = true;
      }
    }
    ServletStreams.Builder builder = ServletStreams.builder(hub);
    if (answer != null) {
      builder.refusalAnswer(answer);
    }
    streams = configure(builder).build();
  }

  private static RefusalAnswer refusalAnswer(String value) throws ServletException {
    try {
      return RefusalAnswer.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new ServletException(
          REFUSAL_ANSWER_PARAMETER
              + " is not one of "
              + Arrays.toString(RefusalAnswer.values())
              + ": "
              + value,
          e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    streams.corsHeaders(request, response); // on refusals too: a page must be able to read them
    Admission admission = admit(request);
    if (!admission.isAccepted()) {
      answer(response, admission.status(), admission.reason());
      return;
    }
    try {
      admission.open(streams, request, response);
    } catch (IllegalStateException misconfigured) {
      LOG.log(Level.WARNING, () -> getServletName() + ": " + misconfigured.getMessage());
      if (!response.isCommitted()) {
        answer(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, misconfigured.getMessage());
      }
    } catch (IllegalArgumentException badTopic) {
      answer(response, HttpServletResponse.SC_BAD_REQUEST, badTopic.getMessage());
    }
  }

  /**
   * Answers a CORS preflight from an allowed origin (see {@link ServletStreams#answerPreflight});
   * any other {@code OPTIONS} as {@link HttpServlet} does.
   */
  @Override
  protected void doOptions(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if (!streams.answerPreflight(request, response)) {
      super.doOptions(request, response);
    }
  }

  @Override
  public void destroy() {
    if (ownsHub) {
      streams.hub().close();
    }
    super.destroy();
  }

  private static void answer(HttpServletResponse response, int status, String reason)
      throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String hubName(String servletName) {
    String name = servletName == null ? "" : servletName.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (name.isEmpty()) {
      return "servlet";
    }
    return name.length() > 32 ? name.substring(0, 32) : name;
  }
}
