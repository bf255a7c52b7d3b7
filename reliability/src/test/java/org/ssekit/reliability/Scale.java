package org.ssekit.reliability;

import java.util.Locale;

/**
 * How big a run of the suite is: {@link #SMOKE} in the default {@code verify} (each part scaled
 * down to seconds, so that a regression still fails the build), {@link #FULL} under {@code
 * -Preliability-full}, the sizes the README's figures come from. Read from the system property
 * {@code ssekit.reliability.scale}, which the module's pom sets.
 *
 * <p><b>Thread safety:</b> an enum: immutable and thread-safe.
 */
public enum Scale {
  SMOKE,
  FULL;

  /** The system property the pom sets: {@code smoke} or {@code full}. */
  public static final String PROPERTY = "ssekit.reliability.scale";

  /**
   * Returns the scale of this run: {@code smoke} when the property is not set (a test run from an
   * IDE).
   *
   * @throws IllegalArgumentException if the property names neither scale
   */
  public static Scale current() {
    String value = System.getProperty(PROPERTY, "smoke").trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "smoke":
        return SMOKE;
      case "full":
        return FULL;
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be smoke or full, not \"" + value + "\"");
    }
  }

  /** Returns {@code smoke} in a smoke run and {@code full} in a full one. */
  public <T> T pick(T smoke, T full) {
    return this == SMOKE ? smoke : full;
  }

  /** Returns {@code smoke} in a smoke run and {@code full} in a full one. */
  public int pick(int smoke, int full) {
    return this == SMOKE ? smoke : full;
  }
}
