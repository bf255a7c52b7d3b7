package org.ssekit.jaxrs;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** A test that runs against a {@link Fixture}, which is closed after each test. */
abstract class FixtureTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** The current test's fixture, or null until the test starts one. */
  Fixture fixture;

  @AfterEach
  void closeFixture() {
    if (fixture != null) {
      fixture.close();
    }
  }
}
