package org.ssekit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ssekit.Authorizer;
import org.ssekit.PrincipalAuthorizer;
import org.ssekit.Selection;
import org.ssekit.SseHub;
import org.ssekit.servlet.Admission;
import org.ssekit.servlet.ServletStreams;
import org.ssekit.servlet.SseServlet;
import org.ssekit.testkit.BasicLoginFilter;
import org.ssekit.testkit.ContainerSettings;
import org.ssekit.testkit.JettyEe11Container;
import org.ssekit.testkit.PrivateFeedsLeakCheck;
import org.ssekit.testkit.TestContainer;

/**
 * The leak check of private feeds ({@link PrivateFeedsLeakCheck}) on two embedded Jetty servers,
 * each a node on one Redis, users logged in by the container ({@link BasicLoginFilter}) and
 * authorized by {@link PrincipalAuthorizer} templates: streams connect to a random server and
 * resume, with their {@code Last-Event-ID}, on the other one, while publishers write on both.
 */
class PrivateFeedsTwoServletNodesTest extends SharedRedisTest {
  /** Users' own subtrees and rooms for anyone signed in; nothing for anonymous clients. */
  private static final Authorizer TEMPLATES =
      PrincipalAuthorizer.builder()
          .allowAuthenticated("users/{principal}/**", "rooms/*")
          .challenge("Basic realm=\"ssekit-test\"")
          .build();

  private final List<TestContainer> servers = new ArrayList<>();

  @Override
  void afterClosingNodes() throws Exception {
    // Closing the nodes ended the streams, so that the servers stop at once.
    for (TestContainer server : servers) {
      server.close();
    }
  }

  /** Streams the selection of the {@code entry} query parameters, behind {@link #TEMPLATES}. */
  static final class EntriesServlet extends SseServlet {
    private static final long serialVersionUID = 1L;

    EntriesServlet(SseHub hub) {
      super(hub);
    }

    @Override
    protected Admission admit(HttpServletRequest request) {
      String[] entries = request.getParameterValues("entry");
      if (entries == null) {
        return Admission.refuse(400, "missing query parameter: entry");
      }
      try {
        return Admission.accept(Selection.of(entries));
      } catch (IllegalArgumentException badEntry) {
        return Admission.refuse(400, badEntry.getMessage());
      }
    }

    @Override
    protected ServletStreams.Builder configure(ServletStreams.Builder builder) {
      return builder.authorizer(TEMPLATES);
    }
  }

  @Test
  void hundredUsersResumingOnTheOtherServerNeverReceiveAForbiddenEvent() throws Exception {
    SseHub hubA = nodes.node();
    SseHub hubB = nodes.node();
    int portA = serve(hubA);
    int portB = serve(hubB);
    long seed = System.nanoTime();
    System.out.println("two-node leak check seed " + seed);

    PrivateFeedsLeakCheck.Result result =
        PrivateFeedsLeakCheck.run(
            List.of(hubA, hubB),
            List.of(portA, portB),
            PrivateFeedsTwoServletNodesTest::target,
            100,
            6,
            seed);

    System.out.println("two-node leak check " + result);
    assertThat(result.allowedStreams()).isPositive();
    assertThat(result.refusedStreams()).isPositive();
    assertThat(result.events()).isPositive();
    assertThat(result.resumedOnAnotherNode()).isPositive();
  }

  private int serve(SseHub hub) throws Exception {
    TestContainer server =
        new JettyEe11Container(
            ContainerSettings.DEFAULTS
                .withThreads("jetty-" + hub.config().name(), 32)
                .withoutH2c());
    servers.add(server);
    server.filter(new BasicLoginFilter(), true);
    server.servlet("/select", new EntriesServlet(hub));
    return server.start();
  }

  private static String target(List<String> entries) {
    return "/select?"
        + entries.stream()
            .map(e -> "entry=" + URLEncoder.encode(e, StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
  }
}
