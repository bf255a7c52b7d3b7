package org.ssekit.reliability.hostile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Selections crafted to hit every rule of the core's topic names and selection entries (sse-core's
 * README, "Names and selectors"), as {@code entry} query parameters: a valid selection of topics
 * and {@code *}/{@code **} selectors gets the stream; an empty entry or one over 1,024 chars, CR or
 * LF, an empty segment, {@code *} inside a segment, {@code **} before the last segment, and more
 * entries than the hub's {@code maxSelectionSize} (64) each get {@code 400} with the rule's
 * plain-text reason, on both adapters. The bad entry sits among valid ones at a random place.
 *
 * <p>(An unpaired surrogate cannot come through a URL: its UTF-8 form is invalid and the containers
 * decode it to U+FFFD. The unit tests of {@link InjectionThroughApiTest} hit that rule.)
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class SelectionCases implements CaseGenerator {
  /** The rules, and the fragment of each one's reason. */
  enum Rule {
    VALID(null),
    EMPTY("must be 1-1024 chars"),
    TOO_LONG("must be 1-1024 chars"),
    LINE_BREAK("CR and LF are not allowed"),
    EMPTY_SEGMENT("has an empty segment"),
    STAR_INSIDE("inside a segment"),
    ANY_BEFORE_LAST("must come last"),
    TOO_MANY("maxSelectionSize=64");

    final String reason;

    Rule(String reason) {
      this.reason = reason;
    }
  }

  @Override
  public List<HostileCase> generate(SplittableRandom random, Way way, int count) {
    List<HostileCase> cases = new ArrayList<>(count);
    Rule[] rules = Rule.values();
    for (int i = 0; i < count; i++) {
      Rule rule = rules[random.nextInt(rules.length)];
      List<String> entries = new ArrayList<>(validEntries(random, random.nextInt(1, 5)));
      if (rule == Rule.TOO_MANY) {
        entries = new ArrayList<>(validEntries(random, random.nextInt(65, 200)));
      } else if (rule != Rule.VALID) {
        entries.add(random.nextInt(entries.size() + 1), badEntry(random, rule));
      }
      StringBuilder target = new StringBuilder(way.open()).append('?');
      for (int e = 0; e < entries.size(); e++) {
        target.append(e == 0 ? "" : "&").append("entry=").append(encode(entries.get(e)));
      }
      Expect expect = rule == Rule.VALID ? Expect.stream() : Expect.refusal(400, rule.reason);
      cases.add(HostileCase.of(rule + " " + shorten(target), target.toString(), List.of(), expect));
    }
    return cases;
  }

  /** {@code n} distinct valid entries: topics and selectors. */
  private static Set<String> validEntries(SplittableRandom random, int n) {
    Set<String> entries = new LinkedHashSet<>();
    while (entries.size() < n) {
      int segments = random.nextInt(1, 5);
      StringBuilder entry = new StringBuilder();
      for (int s = 0; s < segments; s++) {
        if (s > 0) {
          entry.append('/');
        }
        int kind = random.nextInt(10);
        if (kind == 0) {
          entry.append('*');
        } else if (kind == 1 && s == segments - 1) {
          entry.append("**");
        } else if (kind == 2) {
          entry.append(Garbage.anyText(random, random.nextInt(1, 4)).replaceAll("[\\r\\n/*]", "x"));
        } else {
          entry.append(Garbage.word(random, random.nextInt(1, 8)));
        }
      }
      entries.add(entry.toString());
    }
    return entries;
  }

  private static String badEntry(SplittableRandom random, Rule rule) {
    String a = Garbage.word(random, random.nextInt(1, 6));
    String b = Garbage.word(random, random.nextInt(1, 6));
    switch (rule) {
      case EMPTY:
        return "";
      case TOO_LONG:
        return Garbage.word(random, random.nextInt(1025, 2500));
      case LINE_BREAK:
        return a + (random.nextBoolean() ? "\r" : "\n") + b;
      case EMPTY_SEGMENT:
        switch (random.nextInt(3)) {
          case 0:
            return "/" + a;
          case 1:
            return a + "/";
          default:
            return a + "//" + b;
        }
      case STAR_INSIDE:
        return random.nextBoolean() ? a + "*" : "*" + a + "/" + b;
      case ANY_BEFORE_LAST:
        return a + "/**/" + b;
      default:
        throw new AssertionError(rule);
    }
  }

  private static String encode(String entry) {
    // Unreserved chars and '/' and '*' as they are, everything else percent-encoded.
    StringBuilder text = new StringBuilder();
    for (byte b : entry.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '*' || c == '-') {
        text.append(c);
      } else {
        text.append(Garbage.percentEncoded(new byte[] {b}));
      }
    }
    return text.toString();
  }

  private static String shorten(CharSequence target) {
    return target.length() > 160 ? target.subSequence(0, 160) + "..." : target.toString();
  }
}
