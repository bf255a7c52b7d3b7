package org.ssekit.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spread across rounds of a run of several rounds: for each row and contestant, the median, the
 * lowest and the highest of the rounds that passed their checks, and how many did; and the ratio of
 * the medians of each compared pair. On a shared machine one round proves little: what holds in
 * every round is what may be quoted.
 *
 * <p><b>Thread safety:</b> immutable.
 */
final class RoundSpread {
  private final Map<String, List<String>> roundsOf = new LinkedHashMap<>();
  private final List<String[]> ratios = new ArrayList<>();

  /**
   * @param columns the report's columns, {@code NAME + separator + ROUND} for runs of several
   *     rounds
   * @param separator what separates a contestant's name from its round in a column
   * @param pairs the compared pairs {ours, theirs} (pairs naming "stock" are left out)
   */
  RoundSpread(List<String> columns, String separator, List<String[]> pairs) {
    for (String column : columns) {
      int at = column.lastIndexOf(separator);
      if (at > 0) {
        roundsOf.computeIfAbsent(column.substring(0, at), k -> new ArrayList<>()).add(column);
      }
    }
    for (String[] pair : pairs) {
      if (roundsOf.containsKey(pair[0]) && roundsOf.containsKey(pair[1])) {
        ratios.add(pair);
      }
    }
  }

  /** Returns the section, or an empty string for a run of one round. */
  String markdown(List<Report.Row> rows) {
    if (roundsOf.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append("\n## Across rounds\n\n")
        .append(
            "Each cell: the median of the rounds that passed their checks, their range in brackets, and"
                + " how many rounds passed. A ratio compares medians.\n\n")
        .append("| scenario | metric | unit |");
    for (String contestant : roundsOf.keySet()) {
      md.append(' ').append(contestant).append(" |");
    }
    for (String[] ratio : ratios) {
      md.append(' ').append(ratio[0]).append(" / ").append(ratio[1]).append(" |");
    }
    md.append("\n|---|---|---|")
        .append("---|".repeat(roundsOf.size() + ratios.size()))
        .append('\n');
    for (Report.Row row : rows) {
      if (roundsOf.values().stream().flatMap(List::stream).noneMatch(row.cells()::containsKey)) {
        continue;
      }
      md.append(Report.head(row));
      Map<String, Double> medians = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> contestant : roundsOf.entrySet()) {
        md.append(' ').append(cell(row, contestant.getKey(), contestant.getValue(), medians));
        md.append(" |");
      }
      for (String[] ratio : ratios) {
        Double ours = medians.get(ratio[0]);
        Double theirs = medians.get(ratio[1]);
        md.append(' ')
            .append(
                ours == null || theirs == null || theirs == 0
                    ? ""
                    : String.format(Locale.ROOT, "%.2f", ours / theirs))
            .append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String cell(
      Report.Row row, String contestant, List<String> columns, Map<String, Double> medians) {
    List<Double> values = new ArrayList<>();
    int ran = 0;
    String firstNote = "";
    for (String column : columns) {
      Report.Cell cell = row.cells().get(column);
      if (cell == null) {
        continue;
      }
      ran++;
      if (cell.valid() && !Double.isNaN(cell.value())) {
        values.add(cell.value());
      } else if (firstNote.isEmpty()) {
        firstNote = cell.note();
      }
    }
    if (ran == 0) {
      return "";
    }
    if (values.isEmpty() && firstNote.startsWith("n/a")) {
      return firstNote.replace("|", "/"); // not a failure: the contestant has no such thing
    }
    if (values.isEmpty()) {
      return ("✗ 0 of " + ran + (firstNote.isEmpty() ? "" : ": " + firstNote)).replace("|", "/");
    }
    values.sort(Double::compare);
    int n = values.size();
    double median =
        n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    medians.put(contestant, median);
    return Report.format(median)
        + " ("
        + Report.format(values.get(0))
        + " – "
        + Report.format(values.get(n - 1))
        + ", "
        + n
        + " of "
        + ran
        + ")";
  }
}
