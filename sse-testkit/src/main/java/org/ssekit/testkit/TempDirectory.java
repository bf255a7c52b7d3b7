package org.ssekit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory of its own for a fixture's files, deleted with everything in it on {@link #close()}.
 *
 * <p><b>Thread safety:</b> confined to the test thread.
 */
public final class TempDirectory implements AutoCloseable {
  private final Path path;

  private TempDirectory(Path path) {
    this.path = path;
  }

  /**
   * Creates a new directory in the system's temporary directory.
   *
   * @throws UncheckedIOException if it cannot be created
   */
  public static TempDirectory create(String prefix) {
    try {
      return new TempDirectory(Files.createTempDirectory(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the directory. */
  public Path path() {
    return path;
  }

  /**
   * Deletes the directory and everything in it; closing twice is harmless.
   *
   * @throws UncheckedIOException if something in it cannot be deleted
   */
  @Override
  public void close() {
    deleteRecursively(path);
  }

  /**
   * Deletes {@code dir} and everything in it; nothing happens if it is null or does not exist.
   *
   * @throws UncheckedIOException if something in it cannot be deleted
   */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path each : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(each);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
