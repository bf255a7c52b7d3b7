package org.ssekit.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that signs and verifies the chat's session cookies ({@link ChatSessions}): drawn at
 * random when the process starts (a cookie is then good on this process only), or read from a file
 * that every node behind one address shares ({@code --session-secret-file}), so that each node
 * verifies the cookies of every other.
 *
 * <p>The file's bytes, exactly as they are (a trailing line end included), are the key: at least
 * {@value #MIN_BYTES} (the output size of HMAC-SHA256, below which a key weakens it), at most
 * {@value #MAX_BYTES} (more is a wrong file, not a better key). Make one with {@code head -c 32
 * /dev/urandom > session.key}.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class SessionKey {
  /** The fewest bytes of key a file may hold. */
  static final int MIN_BYTES = 32;

  /** The most bytes of key a file may hold. */
  static final int MAX_BYTES = 4096;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec spec;
  private final boolean shared;

  private SessionKey(byte[] secret, boolean shared) {
    this.spec = new SecretKeySpec(secret, ALGORITHM);
    this.shared = shared;
  }

  /** Returns a new key of {@value #MIN_BYTES} random bytes, for this process alone. */
  static SessionKey random() {
    byte[] secret = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(secret);
    return new SessionKey(secret, false);
  }

  /**
   * Returns the key held by {@code file}. The reasons name {@code option} and the file, never its
   * content.
   *
   * @param option what names the file in a reason, such as {@code --session-secret-file}
   * @throws IllegalArgumentException if the file cannot be read, is no regular file, or holds fewer
   *     than {@value #MIN_BYTES} or more than {@value #MAX_BYTES} bytes
   */
  static SessionKey read(Path file, String option) {
    Objects.requireNonNull(file, "file");
    String rule = " (a file of " + MIN_BYTES + "-" + MAX_BYTES + " bytes of key)";
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(option + " is a directory: " + file + rule);
    }
    byte[] secret;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new IllegalArgumentException(
            option + " must hold at most " + MAX_BYTES + " bytes of key: " + file + " has " + size);
      }
      secret = Files.readAllBytes(file);
    } catch (NoSuchFileException missing) {
      throw new IllegalArgumentException(option + " names no file: " + file + rule);
    } catch (IOException unreadable) {
      throw new IllegalArgumentException(
          option
              + " cannot be read: "
              + file
              + rule
              + ": "
              + unreadable.getClass().getSimpleName());
    }
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          option
              + " must hold at least "
              + MIN_BYTES
              + " bytes of key: "
              + file
              + " has "
              + secret.length);
    }
    return new SessionKey(secret, true);
  }

  /** Returns the key for {@code javax.crypto.Mac} (HMAC-SHA256). */
  SecretKeySpec spec() {
    return spec;
  }

  /** Returns true if the key came from a file, which other processes may share. */
  boolean isShared() {
    return shared;
  }

  @Override
  public String toString() {
    return shared ? "SessionKey[from a file]" : "SessionKey[random, this process]";
  }
}
