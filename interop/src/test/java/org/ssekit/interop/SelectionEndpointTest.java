package org.ssekit.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The selection endpoint's refusals on every server path, beyond the matrix's {@code selection-400}
 * (which every client sees): a bad entry, a value that would make a wildcard and a missing
 * parameter are answered {@code 400} with a plain-text reason that names the rule, the same on the
 * servlet paths ({@code Admission.refuse}, as an application writes it) and on JAX-RS (the
 * library's {@code @SseTopic}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ServerPaths.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelectionEndpointTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Parameter private ServerPaths paths;

  private ServerPath path;
  private URI base;

  @BeforeParameterizedClassInvocation(injectArguments = false)
  void start() throws Exception {
    path = paths.create();
    base = path.start();
  }

  @AfterParameterizedClassInvocation(injectArguments = false)
  void stop() throws Exception {
    path.close();
  }

  @Test
  void emptySegmentIsA400NamingTheRule() throws Exception {
    HttpResponse<String> response = get("bad-entry", List.of("a//b"), List.of("c"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains("empty segment");
  }

  @Test
  void wildcardInAValueIsA400() throws Exception {
    HttpResponse<String> response = get("wildcard-value", List.of("*"), List.of("c"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("*");
  }

  @Test
  void missingSelectorParameterIsA400() throws Exception {
    HttpResponse<String> response = get("no-under", List.of("a"), List.of());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains(SelectionQuery.UNDER);
  }

  private HttpResponse<String> get(String run, List<String> topics, List<String> under)
      throws Exception {
    String query = topics.isEmpty() && under.isEmpty() ? "" : SelectionQuery.of(topics, under);
    URI uri = base.resolve(Endpoint.SELECTION.path("selection-endpoint." + run) + query);
    return http.send(
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
