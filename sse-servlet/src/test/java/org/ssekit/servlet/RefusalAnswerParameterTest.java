package org.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ssekit.testkit.ThreadChecks;

/** The servlet init parameter {@value SseServlet#REFUSAL_ANSWER_PARAMETER}. */
class RefusalAnswerParameterTest {
  @Test
  void aParameterThatNamesNoRefusalAnswerFailsInitNamingTheParameterAndTheChoices() {
    TopicServlet servlet = new TopicServlet();

    assertThatThrownBy(() -> servlet.init(config(Map.of("ssekit.refusalAnswer", "503"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("ssekit.refusalAnswer is not one of [RETRY_STREAM, SERVICE_UNAVAILABLE]: 503");
    ThreadChecks.awaitNoSsekitThreads(); // no hub was built
  }

  @Test
  void eachRefusalAnswerIsAccepted() throws Exception {
    for (String value : new String[] {"RETRY_STREAM", " SERVICE_UNAVAILABLE "}) {
      TopicServlet servlet = new TopicServlet();
      servlet.init(config(Map.of("ssekit.refusalAnswer", value)));
      assertThat(servlet.hub()).isNotNull();
      servlet.destroy();
    }
    ThreadChecks.awaitNoSsekitThreads();
  }

  private static ServletConfig config(Map<String, String> parameters) {
    ServletContext context =
        (ServletContext)
            Proxy.newProxyInstance(
                ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> null);
    return (ServletConfig)
        Proxy.newProxyInstance(
            ServletConfig.class.getClassLoader(),
            new Class<?>[] {ServletConfig.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getInitParameter" -> parameters.get((String) args[0]);
                  case "getInitParameterNames" -> Collections.enumeration(parameters.keySet());
                  case "getServletContext" -> context;
                  case "getServletName" -> "refusals";
                  default -> null;
                });
  }
}
