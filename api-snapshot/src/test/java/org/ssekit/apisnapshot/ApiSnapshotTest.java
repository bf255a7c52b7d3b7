package org.ssekit.apisnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ssekit.SseHub;
import org.ssekit.auth.jwt.JwtAuthorizer;
import org.ssekit.client.EventSource;
import org.ssekit.jaxrs.SseHubFeature;
import org.ssekit.micrometer.SseHubMetrics;
import org.ssekit.redis.RedisEventLog;
import org.ssekit.servlet.SseServlet;
import org.ssekit.spring.SsekitAutoConfiguration;

/**
 * Fails on any change of a library module's public API that is not recorded in its committed
 * snapshot ({@code src/test/resources/api/<module>.api}), so that API changes are always
 * deliberate. To accept a change: {@code mvn -pl api-snapshot -am verify -Dapi.update=true}, review
 * the snapshot's diff and commit it with the change.
 */
class ApiSnapshotTest {
  static Stream<Arguments> modules() {
    return Stream.of(
        Arguments.of("sse-core", SseHub.class),
        Arguments.of("sse-client", EventSource.class),
        Arguments.of("sse-servlet", SseServlet.class),
        Arguments.of("sse-jaxrs", SseHubFeature.class),
        Arguments.of("sse-redis", RedisEventLog.class),
        Arguments.of("sse-auth-jwt", JwtAuthorizer.class),
        Arguments.of("sse-micrometer", SseHubMetrics.class),
        Arguments.of("ssekit-spring-boot-starter", SsekitAutoConfiguration.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void publicApiMatchesTheCommittedSnapshot(String module, Class<?> anchor) throws IOException {
    List<String> actual = ApiDump.of(anchor);
    Path snapshot =
        Path.of(System.getProperty("api.snapshots", "src/test/resources/api"), module + ".api");
    if (Boolean.getBoolean("api.update")) {
      Files.createDirectories(snapshot.getParent());
      Files.write(snapshot, actual, StandardCharsets.UTF_8);
      System.out.println("api-snapshot: wrote " + snapshot + " (" + actual.size() + " lines)");
      return;
    }
    if (!Files.exists(snapshot)) {
      fail("no API snapshot " + snapshot + ": run with -Dapi.update=true and commit it");
    }
    List<String> expected = Files.readAllLines(snapshot, StandardCharsets.UTF_8);
    if (!actual.equals(expected)) {
      fail(
          module
              + "'s public API changed; if deliberate, run with -Dapi.update=true and commit the"
              + " snapshot.\n"
              + diff(expected, actual));
    }
  }

  @Test
  void internalPackagesAreNotInAnySnapshot() {
    for (Class<?> anchor :
        List.of(
            SseHub.class,
            EventSource.class,
            SseServlet.class,
            SseHubFeature.class,
            RedisEventLog.class,
            JwtAuthorizer.class,
            SseHubMetrics.class,
            SsekitAutoConfiguration.class)) {
      assertThat(ApiDump.of(anchor))
          .as("API of %s", anchor.getModule().getName())
          .isNotEmpty()
          .noneMatch(line -> line.contains(".internal."));
    }
  }

  private static String diff(List<String> expected, List<String> actual) {
    List<String> lines = new ArrayList<>();
    LinkedHashSet<String> removed = new LinkedHashSet<>(expected);
    actual.forEach(removed::remove);
    LinkedHashSet<String> added = new LinkedHashSet<>(actual);
    expected.forEach(added::remove);
    removed.forEach(line -> lines.add("- " + line));
    added.forEach(line -> lines.add("+ " + line));
    if (lines.isEmpty()) {
      lines.add("(same lines in another order)");
    }
    return String.join("\n", lines);
  }
}
