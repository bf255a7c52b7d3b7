package org.ssekit.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one run: one row per scenario and metric, one cell per contestant, written as
 * Markdown, CSV and JSON. A cell is either a number or a failure: a contestant that dropped,
 * reordered or lost streams gets its number marked as failed, and failed numbers never count as
 * "best".
 *
 * <p><b>Thread safety:</b> not thread-safe.
 */
final class Report {
  /** The ssekit contestant compared with the best stock one and with its own container's floor. */
  private static final List<String[]> RATIOS =
      List.of(
          new String[] {"ssekit-jetty", "stock"},
          new String[] {"ssekit-jetty", "floor-jetty"},
          new String[] {"ssekit-tomcat", "floor-tomcat"},
          new String[] {"ssekit-tomcat-tuned", "floor-tomcat-tuned"},
          new String[] {"ssekit-spring", "spring-emitter"});

  private static final List<String> STOCK =
      List.of("jetty-es", "jersey-jetty", "jersey-tomcat", "spring-emitter");

  /** Between a contestant's name and its round number in a column of a run of several rounds. */
  static final String ROUND = " #";

  record Cell(double value, boolean valid, String note) {}

  record Row(
      String scenario,
      String metric,
      String unit,
      boolean higherIsBetter,
      Map<String, Cell> cells) {}

  private final List<String> contestants;
  private final Map<String, Row> rows = new LinkedHashMap<>();

  /** Scenario → its twin, whose rows are shown right after its own rows of the same metric. */
  private final Map<String, String> twins = new LinkedHashMap<>();

  /** The twins' inverse: twin → the scenario it follows. */
  private final Map<String, String> twinOf = new LinkedHashMap<>();

  private final Map<String, String> meta = new LinkedHashMap<>();
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final List<String> jmh = new ArrayList<>();

  Report(List<String> contestants) {
    this.contestants = List.copyOf(contestants);
  }

  void meta(String key, String value) {
    meta.put(key, value);
  }

  void settings(String contestant, String value) {
    settings.putIfAbsent(contestant, value);
  }

  /**
   * Shows {@code twin}'s rows right after {@code scenario}'s rows of the same metric (a variant
   * beside the numbers it is compared with), in every format; rows of a metric {@code scenario}
   * lacks stay where they were recorded.
   */
  void twin(String twin, String scenario) {
    twins.put(scenario, twin);
    twinOf.put(twin, scenario);
  }

  void jmhLine(String markdownRow) {
    jmh.add(markdownRow);
  }

  /** Records a value; {@code valid} false marks it failed, {@code note} says why (or is empty). */
  void put(
      String scenario,
      String metric,
      String unit,
      boolean higherIsBetter,
      String contestant,
      double value,
      boolean valid,
      String note) {
    rows.computeIfAbsent(
            key(scenario, metric),
            k -> new Row(scenario, metric, unit, higherIsBetter, new LinkedHashMap<>()))
        .cells()
        .put(contestant, new Cell(value, valid, note));
  }

  /** Records that the contestant could not run this metric at all (not applicable or an error). */
  void missing(
      String scenario,
      String metric,
      String unit,
      boolean higherIsBetter,
      String contestant,
      String note) {
    put(scenario, metric, unit, higherIsBetter, contestant, Double.NaN, false, note);
  }

  /** Returns the rows in the order they are shown: as recorded, each twin after its scenario's. */
  List<Row> rows() {
    List<Row> ordered = new ArrayList<>(rows.size());
    for (Row row : rows.values()) {
      String first = twinOf.get(row.scenario());
      if (first != null && rows.containsKey(key(first, row.metric()))) {
        continue; // shown after its twin's row
      }
      ordered.add(row);
      String twin = twins.get(row.scenario());
      Row twinRow = twin == null ? null : rows.get(key(twin, row.metric()));
      if (twinRow != null) {
        ordered.add(twinRow);
      }
    }
    return List.copyOf(ordered);
  }

  private static String key(String scenario, String metric) {
    return scenario + "\u0000" + metric;
  }

  Cell cell(String scenario, String metric, String contestant) {
    Row row = rows.get(key(scenario, metric));
    return row == null ? null : row.cells().get(contestant);
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "";
    }
    double abs = Math.abs(value);
    if (value == Math.rint(value) && abs < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String show(Cell cell) {
    if (cell == null) {
      return "";
    }
    String number = format(cell.value());
    if (Double.isNaN(cell.value())) {
      return cell.note();
    }
    if (!cell.valid()) {
      return number + " ✗ " + cell.note();
    }
    return cell.note().isEmpty() ? number : number + " (" + cell.note() + ")";
  }

  private String ratio(Row row, String ours, String theirs) {
    Cell mine = row.cells().get(ours);
    if (mine == null || !mine.valid() || Double.isNaN(mine.value())) {
      return "";
    }
    Cell other = null;
    if (theirs.equals("stock")) {
      for (String stock : STOCK) {
        Cell candidate = row.cells().get(stock);
        if (candidate == null || !candidate.valid() || Double.isNaN(candidate.value())) {
          continue;
        }
        if (other == null
            || (row.higherIsBetter()
                ? candidate.value() > other.value()
                : candidate.value() < other.value())) {
          other = candidate;
        }
      }
      if (other == null) {
        boolean anyStock =
            STOCK.stream()
                .map(row.cells()::get)
                .anyMatch(cell -> cell != null && !cell.note().startsWith("n/a"));
        return anyStock ? "stock all failed" : "";
      }
    } else {
      other = row.cells().get(theirs);
      if (other == null || Double.isNaN(other.value())) {
        return "";
      }
    }
    if (other.value() == 0) {
      return mine.value() == 0 ? "1.00" : "∞";
    }
    return String.format(Locale.ROOT, "%.2f", mine.value() / other.value());
  }

  /** The ratio columns whose ssekit contestant is in this run. */
  private List<String[]> ratios() {
    List<String[]> ratios = new ArrayList<>();
    for (String[] ratio : RATIOS) {
      if (contestants.contains(ratio[0])) {
        ratios.add(ratio);
      }
    }
    return ratios;
  }

  /** The first cells of a row of a Markdown table: scenario, metric, unit and its direction. */
  static String head(Row row) {
    return "| "
        + row.scenario()
        + " | "
        + row.metric()
        + " | "
        + row.unit()
        + (row.higherIsBetter() ? " ↑" : " ↓")
        + " |";
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# ssekit benchmark results\n\n");
    for (Map.Entry<String, String> entry : meta.entrySet()) {
      md.append("- **").append(entry.getKey()).append("**: ").append(entry.getValue()).append('\n');
    }
    md.append(
        "\nA ✗ marks a number from a run that failed its checks (events missing, duplicated or out of "
            + "order, streams not held, or a timeout); it never counts as best. Ratios compare ssekit with the best "
            + "stock contestant that passed (jetty-es, jersey-jetty, jersey-tomcat, spring-emitter) and with the"
            + " floor of its own container (ssekit-spring with spring-emitter); read them with the unit's direction (↑ higher is better, ↓ lower is better).\n\n");
    md.append("| scenario | metric | unit |");
    for (String contestant : contestants) {
      md.append(' ').append(contestant).append(" |");
    }
    List<String[]> ratios = ratios();
    for (String[] ratio : ratios) {
      md.append(' ')
          .append(ratio[0])
          .append(" / ")
          .append(ratio[1].equals("stock") ? "best stock" : ratio[1])
          .append(" |");
    }
    md.append('\n').append("|---|---|---|");
    md.append("---|".repeat(contestants.size() + ratios.size())).append('\n');
    for (Row row : rows()) {
      if (contestants.stream().noneMatch(row.cells()::containsKey)) {
        continue; // the JMH rows have their own section
      }
      md.append(head(row));
      for (String contestant : contestants) {
        md.append(' ').append(show(row.cells().get(contestant)).replace("|", "/")).append(" |");
      }
      for (String[] ratio : ratios) {
        md.append(' ').append(ratio(row, ratio[0], ratio[1])).append(" |");
      }
      md.append('\n');
    }
    md.append(new RoundSpread(contestants, ROUND, RATIOS).markdown(rows()));
    if (!jmh.isEmpty()) {
      md.append("\n## JMH\n\n");
      for (String line : jmh) {
        md.append(line).append('\n');
      }
    }
    if (!settings.isEmpty()) {
      md.append("\n## Contestants and their settings\n\n");
      for (Map.Entry<String, String> entry : settings.entrySet()) {
        md.append("- **")
            .append(entry.getKey())
            .append("**: ")
            .append(entry.getValue())
            .append('\n');
      }
    }
    return md.toString();
  }

  String csv() {
    StringBuilder csv =
        new StringBuilder("scenario,metric,unit,higher_is_better,contestant,value,valid,note\n");
    for (Row row : rows()) {
      for (Map.Entry<String, Cell> entry : row.cells().entrySet()) {
        Cell cell = entry.getValue();
        csv.append(quote(row.scenario()))
            .append(',')
            .append(quote(row.metric()))
            .append(',')
            .append(quote(row.unit()))
            .append(',')
            .append(row.higherIsBetter())
            .append(',')
            .append(quote(entry.getKey()))
            .append(',')
            .append(Double.isNaN(cell.value()) ? "" : Double.toString(cell.value()))
            .append(',')
            .append(cell.valid())
            .append(',')
            .append(quote(cell.note()))
            .append('\n');
      }
    }
    return csv.toString();
  }

  String json() {
    StringBuilder json = new StringBuilder("{\n  \"meta\": {");
    String separator = "\n";
    for (Map.Entry<String, String> entry : meta.entrySet()) {
      json.append(separator)
          .append("    ")
          .append(string(entry.getKey()))
          .append(": ")
          .append(string(entry.getValue()));
      separator = ",\n";
    }
    json.append("\n  },\n  \"settings\": {");
    separator = "\n";
    for (Map.Entry<String, String> entry : settings.entrySet()) {
      json.append(separator)
          .append("    ")
          .append(string(entry.getKey()))
          .append(": ")
          .append(string(entry.getValue()));
      separator = ",\n";
    }
    json.append("\n  },\n  \"rows\": [");
    separator = "\n";
    for (Row row : rows()) {
      json.append(separator)
          .append("    {\"scenario\": ")
          .append(string(row.scenario()))
          .append(", \"metric\": ")
          .append(string(row.metric()))
          .append(", \"unit\": ")
          .append(string(row.unit()))
          .append(", \"higherIsBetter\": ")
          .append(row.higherIsBetter())
          .append(", \"cells\": {");
      String inner = "";
      for (Map.Entry<String, Cell> entry : row.cells().entrySet()) {
        Cell cell = entry.getValue();
        json.append(inner)
            .append(string(entry.getKey()))
            .append(": {\"value\": ")
            .append(Double.isNaN(cell.value()) ? "null" : Double.toString(cell.value()))
            .append(", \"valid\": ")
            .append(cell.valid())
            .append(", \"note\": ")
            .append(string(cell.note()))
            .append('}');
        inner = ", ";
      }
      json.append("}}");
      separator = ",\n";
    }
    json.append("\n  ],\n  \"jmh\": [");
    separator = "\n";
    for (String line : jmh) {
      json.append(separator).append("    ").append(string(line));
      separator = ",\n";
    }
    return json.append("\n  ]\n}\n").toString();
  }

  /** Writes {@code base}{@code .md}, {@code .csv} and {@code .json}. */
  void write(Path base) throws IOException {
    Files.writeString(Path.of(base + ".md"), markdown(), StandardCharsets.UTF_8);
    Files.writeString(Path.of(base + ".csv"), csv(), StandardCharsets.UTF_8);
    Files.writeString(Path.of(base + ".json"), json(), StandardCharsets.UTF_8);
  }

  private static String quote(String value) {
    if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  private static String string(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
