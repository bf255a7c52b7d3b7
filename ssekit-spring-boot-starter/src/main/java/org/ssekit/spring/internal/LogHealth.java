package org.ssekit.spring.internal;

import java.util.Map;

/**
 * The health of the hub's event log, beside the hub's own: for a Redis log, whether Redis is
 * reachable. Kept apart from {@link HubHealth} so that only the implementation for Redis, {@link
 * RedisLogHealth}, loads sse-redis classes, and only when sse-redis is on the class path.
 *
 * <p><b>Thread safety:</b> implementations are thread-safe.
 */
public interface LogHealth {
  /** The health of a log that has nothing to report (the in-memory log): always up, no details. */
  LogHealth NONE =
      new LogHealth() {
        @Override
        public boolean isUp() {
          return true;
        }

        @Override
        public void addDetails(Map<String, Object> details) {}

        @Override
        public String toString() {
          return "LogHealth.NONE";
        }
      };

  /** Returns true while the log can work (for a Redis log: Redis is reachable). */
  boolean isUp();

  /** Adds this log's details to {@code details}; says why when {@link #isUp()} is false. */
  void addDetails(Map<String, Object> details);
}
