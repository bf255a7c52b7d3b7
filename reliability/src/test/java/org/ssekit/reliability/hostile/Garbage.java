package org.ssekit.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random bytes and text for the hostile cases: printable ASCII, hostile bytes (NUL, control bytes,
 * bytes above 0x7f, invalid UTF-8 sequences), valid UTF-8 text of any code point, and percent
 * encoding of any bytes.
 *
 * <p><b>Thread safety:</b> stateless; each caller brings its own random source.
 */
final class Garbage {
  /** Byte sequences that are not UTF-8: lone continuation, overlong, surrogate, too high, cut. */
  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0x80},
    {(byte) 0xc0, (byte) 0xaf},
    {(byte) 0xc3, (byte) 0x28},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xff},
    {(byte) 0xe2, (byte) 0x82},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
  };

  private Garbage() {}

  /** {@code length} printable ASCII chars without space (0x21-0x7e). */
  static String printable(SplittableRandom random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) random.nextInt(0x21, 0x7f));
    }
    return text.toString();
  }

  /** {@code length} chars of {@code [a-z0-9]}. */
  static String word(SplittableRandom random, int length) {
    String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(chars.charAt(random.nextInt(chars.length())));
    }
    return text.toString();
  }

  /**
   * About {@code length} hostile bytes: NUL, control bytes, DEL, bytes above 0x7f and invalid UTF-8
   * sequences among printable ones, beginning and ending with a printable byte (so that a container
   * trimming the value keeps it); bare CR and LF only if {@code lineBreaks}.
   */
  static byte[] hostileBytes(SplittableRandom random, int length, boolean lineBreaks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(random.nextInt(0x21, 0x7f));
    while (out.size() < length - 1) {
      switch (random.nextInt(6)) {
        case 0:
          out.write(0);
          break;
        case 1:
          int control = random.nextInt(1, 0x20);
          out.write(!lineBreaks && (control == '\r' || control == '\n') ? 0x7f : control);
          break;
        case 2:
          out.write(random.nextInt(0x80, 0x100));
          break;
        case 3:
          out.writeBytes(INVALID_UTF8[random.nextInt(INVALID_UTF8.length)]);
          break;
        default:
          out.write(random.nextInt(0x21, 0x7f));
      }
    }
    out.write(random.nextInt(0x21, 0x7f));
    return out.toByteArray();
  }

  /** {@code length} code points of valid UTF-16 of every plane, NUL and controls included. */
  static String anyText(SplittableRandom random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int codePoint;
      switch (random.nextInt(4)) {
        case 0:
          codePoint = random.nextInt(0, 0x20);
          break;
        case 1:
          codePoint = random.nextInt(0x20, 0x7f);
          break;
        case 2:
          codePoint = random.nextInt(0xa0, 0xd800);
          break;
        default:
          codePoint = random.nextInt(0x10000, 0x110000);
      }
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  /** Every byte of {@code bytes} as {@code %XX}. */
  static String percentEncoded(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      text.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
      text.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
    }
    return text.toString();
  }

  /** Every UTF-8 byte of {@code text} as {@code %XX}. */
  static String percentEncoded(String text) {
    return percentEncoded(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code ascii} followed by {@code bytes}. */
  static byte[] concat(String ascii, byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(bytes);
    return out.toByteArray();
  }
}
