package org.ssekit.reliability.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ssekit.reliability.Scale;

/**
 * The figures of the hostile-input tests: one row per category and server path, rewritten to {@code
 * target/reliability-hostile.md} after each test, so that the file holds what this JVM ran so far.
 *
 * <p><b>Thread safety:</b> thread-safe (synchronized); the tests add rows from their own thread.
 */
final class HostileFigures {
  /** The file the figures go to, in the directory the pom names. */
  static final String FILE = "reliability-hostile.md";

  private static final List<String> ROWS = new ArrayList<>();

  private HostileFigures() {}

  /**
   * Records one category on one path: its answers, how many events the other clients (the canary
   * streams) missed or got out of order, and the leaks found after it (streams left subscribed,
   * queued bytes or heap over the bound, SEVERE log records).
   */
  static synchronized void record(
      String category, String path, Tally tally, int otherClientImpact, String leaks) {
    ROWS.add(
        String.join(
            " | ",
            "| " + category,
            path,
            Integer.toString(tally.cases()),
            Integer.toString(tally.ok()),
            Integer.toString(tally.clientErrors()),
            Integer.toString(tally.serverErrors()),
            Integer.toString(tally.other()),
            Integer.toString(otherClientImpact),
            leaks + " |"));
    write();
  }

  private static void write() {
    Path dir = Path.of(System.getProperty("ssekit.reliability.outputDir", "target"));
    StringBuilder text = new StringBuilder();
    text.append("# Hostile input (").append(Scale.current().name().toLowerCase()).append(")\n\n");
    text.append("Seed ").append(HostileSeed.value()).append(".\n\n");
    text.append(
        "| category | path | cases | 2xx | 4xx | 5xx | no status | other clients' events missed |"
            + " leaks |\n");
    text.append("|---|---|---|---|---|---|---|---|---|\n");
    ROWS.forEach(row -> text.append(row).append('\n'));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(FILE), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }
}
