package org.ssekit.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every {@code SEVERE} log record of the test JVM while open: the servers' errors, since
 * Tomcat, Jersey, ssekit ({@code System.Logger} ERROR) and Jetty (through slf4j-jdk14) all log to
 * {@code java.util.logging}. Jetty logs there only with {@code slf4j-jdk14} on the class path (test
 * scope).
 *
 * <p><b>Thread safety:</b> thread-safe; records arrive on any thread.
 */
public final class ServerLogs implements AutoCloseable {
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(
                record.getLoggerName()
                    + ": "
                    + record.getMessage()
                    + (record.getThrown() == null ? "" : " " + record.getThrown()));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private ServerLogs() {
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  /** Starts recording. */
  public static ServerLogs record() {
    return new ServerLogs();
  }

  /** Returns the errors recorded so far. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    root.removeHandler(handler);
  }
}
