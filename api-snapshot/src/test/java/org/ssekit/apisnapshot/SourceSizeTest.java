package org.ssekit.apisnapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps every main source file of the library modules at 400 lines or fewer: a file that grows past
 * that has more than one job and is split, not waved through.
 */
class SourceSizeTest {
  private static final int MAX_LINES = 400;
  private static final List<String> LIBRARY_MODULES =
      List.of(
          "sse-core",
          "sse-client",
          "sse-servlet",
          "sse-jaxrs",
          "sse-redis",
          "sse-auth-jwt",
          "sse-micrometer",
          "ssekit-spring-boot-starter");

  @Test
  void noMainSourceFileOfALibraryModuleIsOver400Lines() throws IOException {
    Path root = Path.of(System.getProperty("ssekit.root", ".."));
    for (String module : LIBRARY_MODULES) {
      Path sources = root.resolve(module).resolve("src/main/java");
      assertThat(sources).as("sources of %s", module).isDirectory();
      List<String> tooLong;
      try (Stream<Path> files = Files.walk(sources)) {
        tooLong =
            files
                .filter(file -> file.toString().endsWith(".java"))
                .filter(file -> lines(file) > MAX_LINES)
                .map(file -> root.relativize(file) + ": " + lines(file) + " lines")
                .collect(Collectors.toList());
      }
      assertThat(tooLong).as("files over %d lines in %s", MAX_LINES, module).isEmpty();
    }
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
