package org.ssekit.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's section of a report file such as {@code target/reliability-faults.md}: what it ran and
 * what it measured, appended when the test {@linkplain #write() writes} it (also when it fails, so
 * that a failure's figures are kept). The directory is the system property {@code
 * ssekit.reliability.outputDir} (the pom sets {@code target}), else the working directory's {@code
 * target}.
 *
 * <p><b>Thread safety:</b> not thread-safe: one test thread fills and writes it.
 */
public final class RunReport {
  private final String file;
  private final String title;
  private final List<String> lines = new ArrayList<>();

  /** Starts the section of the test {@code title} in the file named {@code file}. */
  public RunReport(String file, String title) {
    this.file = file;
    this.title = title;
  }

  /** Adds a line of Markdown. */
  public RunReport line(String markdown) {
    lines.add(markdown);
    return this;
  }

  /** Appends the section to the report file. */
  public void write() {
    Path directory = Path.of(System.getProperty("ssekit.reliability.outputDir", "target"));
    StringBuilder text = new StringBuilder();
    text.append("\n## ")
        .append(title)
        .append(" (")
        .append(Scale.current().name().toLowerCase(java.util.Locale.ROOT))
        .append(", ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(")\n\n");
    for (String line : lines) {
      text.append(line).append('\n');
    }
    try {
      Files.createDirectories(directory);
      Files.writeString(
          directory.resolve(file),
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + " in " + directory, e);
    }
  }
}
