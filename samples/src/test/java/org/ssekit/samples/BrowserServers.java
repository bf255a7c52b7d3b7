package org.ssekit.samples;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The containers a browser test runs on. The system property {@value #PROPERTY} decides: {@code
 * one} (the default {@code verify}) runs each browser test on the one container its method source
 * names; {@code other} (CI's long suite: {@code -Psamples-full}, see {@code .ci/run}) runs each on
 * the other container; {@code all} runs each on both. The test classes split the two containers
 * between them, so every default {@code verify} still drives a real browser against both
 * containers, at half the browser time, and CI runs the other half after it.
 *
 * <p><b>Thread safety:</b> stateless but for a print-once flag; safe from any thread.
 */
final class BrowserServers {
  /** The system property that chooses {@code one} or {@code all}. */
  static final String PROPERTY = "ssekit.samples.browserServers";

  private static final AtomicBoolean SAID = new AtomicBoolean();

  private BrowserServers() {}

  /** Jetty in the default {@code verify}. */
  static Stream<ServerKind> jetty() {
    return kinds(ServerKind.JETTY);
  }

  /** Tomcat in the default {@code verify}. */
  static Stream<ServerKind> tomcat() {
    return kinds(ServerKind.TOMCAT);
  }

  /**
   * Returns the containers for a test that names {@code named}: it alone, the other one, or both.
   *
   * @throws IllegalArgumentException if {@value #PROPERTY} is not {@code one}, {@code other} or
   *     {@code all}
   */
  static Stream<ServerKind> kinds(ServerKind named) {
    return switch (choice()) {
      case "one" -> Stream.of(named);
      case "other" -> Stream.of(ServerKind.values()).filter(kind -> kind != named);
      default -> Stream.of(ServerKind.values());
    };
  }

  /**
   * Returns {@code one}, {@code other} or {@code all}.
   *
   * @throws IllegalArgumentException for any other value of {@value #PROPERTY}
   */
  static String choice() {
    String value = System.getProperty(PROPERTY, "").strip();
    String choice = value.isEmpty() ? "one" : value;
    if (!choice.equals("one") && !choice.equals("other") && !choice.equals("all")) {
      throw new IllegalArgumentException(
          PROPERTY + " must be 'one', 'other' or 'all', was '" + value + "'");
    }
    if (!choice.equals("all") && SAID.compareAndSet(false, true)) {
      // Not a silent skip: say which half runs here and how the rest runs.
      System.out.println(
          "[browser tests] "
              + PROPERTY
              + "="
              + choice
              + ": each browser test runs on "
              + (choice.equals("one") ? "the container it names" : "the container it does not name")
              + "; CI's long suite (mvn -Psamples-full) runs the other half, -D"
              + PROPERTY
              + "=all both");
    }
    return choice;
  }
}
