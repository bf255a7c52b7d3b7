package org.ssekit.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The interop matrix: every cell the suites ran in this JVM, rendered as Markdown into {@code
 * target/matrix.md} after each server path (so the last one leaves the whole matrix), and, once the
 * matrix is complete, into the section of the interop module's {@code README.md} between {@link
 * #SECTION_BEGIN} and {@link #SECTION_END}.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class Matrix {
  /** The one matrix of the test JVM, shared by the server path suites. */
  static final Matrix INSTANCE = new Matrix();

  /** The line that opens the generated section of the README. */
  static final String SECTION_BEGIN = "<!-- matrix:begin -->";

  /** The line that closes the generated section of the README. */
  static final String SECTION_END = "<!-- matrix:end -->";

  /** The server paths in column order; paths not run in this JVM are listed as such. */
  private static final List<String> PATH_ORDER =
      List.of("jetty-servlet", "tomcat-servlet", "jersey-jaxrs");

  /** What a cell shows. */
  enum Status {
    PASS,
    /** An unexpected failure: the suite fails. */
    FAIL,
    /** A known client deviation reproduced, as asserted. */
    DEVIATION,
    /** A known client deviation did not reproduce: the suite fails until the entry is removed. */
    DEVIATION_GONE,
    /** The path's public API cannot produce the scenario. */
    NOT_APPLICABLE,
    /** The client could not run on this machine. */
    SKIPPED
  }

  /** One cell; {@code note} is the deviation key, or the reason for n/a and skipped. */
  record Cell(Status status, String note) {}

  private final Object lock = new Object();
  // Every field below is guarded by lock.
  private final Map<String, String> pathNames = new HashMap<>();
  private final Map<String, Duration> pathDurations = new HashMap<>();
  private final Map<ClientKind, String> versions = new EnumMap<>(ClientKind.class);
  private final Map<String, Map<ClientKind, Map<String, Cell>>> cells = new HashMap<>();

  private Matrix() {}

  void path(String pathId, String displayName) {
    synchronized (lock) {
      pathNames.put(pathId, displayName);
    }
  }

  void pathDuration(String pathId, Duration duration) {
    synchronized (lock) {
      pathDurations.put(pathId, duration);
    }
  }

  void clientVersion(ClientKind client, String version) {
    synchronized (lock) {
      versions.put(client, version);
    }
  }

  void record(String pathId, ClientKind client, String scenario, Cell cell) {
    synchronized (lock) {
      cells
          .computeIfAbsent(pathId, p -> new EnumMap<>(ClientKind.class))
          .computeIfAbsent(client, c -> new HashMap<>())
          .put(scenario, cell);
    }
  }

  /** Writes the matrix to {@code file}, replacing it. */
  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, render(), StandardCharsets.UTF_8);
  }

  /**
   * Replaces the matrix section of the README {@code readme} with this matrix, if every server path
   * ran every scenario with every client in this JVM (a skipped client counts as run): a narrowed
   * or partial run leaves the committed README as it is.
   *
   * @return whether the README was written
   * @throws IllegalArgumentException if the README lacks the section markers
   */
  boolean writeSection(Path readme) throws IOException {
    if (!complete()) {
      return false;
    }
    String before = Files.readString(readme, StandardCharsets.UTF_8);
    String after = replaceSection(before, render());
    if (!after.equals(before)) {
      Files.writeString(readme, after, StandardCharsets.UTF_8);
    }
    return true;
  }

  /**
   * Returns {@code document} with everything between the lines {@link #SECTION_BEGIN} and {@link
   * #SECTION_END} replaced by {@code section}; the markers and everything outside them stay as they
   * are.
   *
   * @throws IllegalArgumentException if a marker is missing, repeated, or the end comes first
   */
  static String replaceSection(String document, String section) {
    int begin = onlyIndexOf(document, SECTION_BEGIN);
    int end = onlyIndexOf(document, SECTION_END);
    if (end < begin) {
      throw new IllegalArgumentException("matrix section end before its begin: " + SECTION_END);
    }
    return document.substring(0, begin + SECTION_BEGIN.length())
        + "\n\n"
        + section.strip()
        + "\n\n"
        + document.substring(end);
  }

  private static int onlyIndexOf(String document, String marker) {
    int index = document.indexOf(marker);
    if (index < 0) {
      throw new IllegalArgumentException("matrix section marker missing: " + marker);
    }
    if (document.indexOf(marker, index + 1) >= 0) {
      throw new IllegalArgumentException("matrix section marker repeated: " + marker);
    }
    return index;
  }

  /** Whether every path in {@link #PATH_ORDER} has a cell for every client and scenario. */
  private boolean complete() {
    synchronized (lock) {
      for (String pathId : PATH_ORDER) {
        Map<ClientKind, Map<String, Cell>> pathCells = cells.get(pathId);
        if (!pathNames.containsKey(pathId) || pathCells == null) {
          return false;
        }
        for (ClientKind client : ClientKind.values()) {
          Map<String, Cell> clientCells = pathCells.getOrDefault(client, Map.of());
          for (Scenario scenario : Scenarios.all()) {
            if (client.runs(scenario) && !clientCells.containsKey(scenario.id())) {
              return false;
            }
          }
        }
      }
      return true;
    }
  }

  /** Renders the matrix as Markdown. */
  String render() {
    synchronized (lock) {
      StringBuilder out = new StringBuilder();
      out.append(
          "<!-- Generated by the interop module's tests (mvn -B -ntp -pl interop -am verify -Pinterop-full); do not edit. -->\n");
      out.append("## Interop matrix\n\n");
      out.append("Generated on ")
          .append(LocalDate.now(ZoneOffset.UTC))
          .append(
              ". Each server path serves every"
                  + " scenario through ssekit's public API; each client connects as an application would and reports"
                  + " what its own API dispatched. ✅ pass · ❌ unexpected failure · ⚠️ known client deviation"
                  + " (footnotes) · n/a the path's public API cannot produce the scenario · skipped: the client could"
                  + " not run here · – not in the HTTP/2 subset. The columns \"over h2\" run the same client over"
                  + " TLS to the path's second connector (a certificate generated at test start), which offers h2"
                  + " and HTTP/1.1 by ALPN; every request of theirs must arrive as HTTP/2.0, and every other"
                  + " column's as HTTP/1.1.\n\n");
      out.append("Clients: ");
      List<String> clientNames = new ArrayList<>();
      for (ClientKind client : ClientKind.values()) {
        if (client.overH2()) {
          continue; // the same client as its HTTP/1.1 column
        }
        String version = versions.get(client);
        String name =
            client.homepage() == null
                ? client.displayName()
                : "[" + client.displayName() + "](" + client.homepage() + ")";
        clientNames.add(name + (version == null ? "" : " " + version));
      }
      out.append(String.join(" · ", clientNames)).append(".\n\n");

      Set<String> usedDeviations = new LinkedHashSet<>();
      for (String pathId : PATH_ORDER) {
        renderPath(out, pathId, usedDeviations);
      }
      if (!usedDeviations.isEmpty()) {
        out.append("### Known client deviations\n\n");
        for (KnownDeviation deviation : KnownDeviations.all()) {
          if (!usedDeviations.contains(deviation.key())) {
            continue;
          }
          out.append("- <a id=\"")
              .append(deviation.key().toLowerCase())
              .append("\"></a>**")
              .append(deviation.key())
              .append("** ")
              .append(deviation.client().displayName());
          String version = versions.get(deviation.client());
          if (version != null) {
            out.append(' ').append(version);
          }
          out.append(", `")
              .append(deviation.scenario())
              .append("`: ")
              .append(deviation.summary())
              .append(" Source: ")
              .append(deviation.evidence())
              .append(" (")
              .append(deviation.link())
              .append(")\n");
        }
        out.append('\n');
      }
      return out.toString();
    }
  }

  private void renderPath(StringBuilder out, String pathId, Set<String> usedDeviations) {
    String name = pathNames.get(pathId);
    Map<ClientKind, Map<String, Cell>> pathCells = cells.get(pathId);
    if (name == null || pathCells == null) {
      out.append("### ").append(pathId).append("\n\nNot run in this build.\n\n");
      return;
    }
    out.append("### ").append(name);
    Duration duration = pathDurations.get(pathId);
    if (duration != null) {
      out.append(" (").append(duration.toSeconds()).append(" s)");
    }
    out.append("\n\n| scenario |");
    for (ClientKind client : ClientKind.values()) {
      out.append(' ').append(client.displayName()).append(" |");
    }
    out.append("\n|---|");
    for (int i = 0; i < ClientKind.values().length; i++) {
      out.append(":-:|");
    }
    out.append('\n');
    Set<String> notes = new LinkedHashSet<>();
    Scenario.Group group = null;
    for (Scenario scenario : Scenarios.all()) {
      if (scenario.group() != group) {
        group = scenario.group();
        out.append("| *")
            .append(group.name().toLowerCase())
            .append("* |")
            .append(" |".repeat(ClientKind.values().length))
            .append('\n');
      }
      out.append("| `").append(scenario.id()).append("` ").append(scenario.title()).append(" |");
      for (ClientKind client : ClientKind.values()) {
        Cell cell = pathCells.getOrDefault(client, Map.of()).get(scenario.id());
        String shown = client.runs(scenario) ? render(cell, usedDeviations, notes) : "–";
        out.append(' ').append(shown).append(" |");
      }
      out.append('\n');
    }
    out.append('\n');
    for (String note : notes) {
      out.append("- ").append(note).append('\n');
    }
    if (!notes.isEmpty()) {
      out.append('\n');
    }
  }

  private static String render(Cell cell, Set<String> usedDeviations, Set<String> notes) {
    if (cell == null) {
      return "not run";
    }
    switch (cell.status()) {
      case PASS:
        return "✅";
      case FAIL:
        return "❌";
      case DEVIATION:
        usedDeviations.add(cell.note());
        return "⚠️ [" + cell.note() + "](#" + cell.note().toLowerCase() + ")";
      case DEVIATION_GONE:
        usedDeviations.add(cell.note());
        return "✅ (" + cell.note() + " gone)";
      case NOT_APPLICABLE:
        notes.add("n/a: " + cell.note());
        return "n/a";
      default:
        notes.add("skipped: " + cell.note());
        return "skipped";
    }
  }
}
