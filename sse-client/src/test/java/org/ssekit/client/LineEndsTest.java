package org.ssekit.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The word-at-a-time line-end scan against a plain byte loop, at every position and alignment. */
class LineEndsTest {
  /**
   * Bytes that share bits with CR or LF, or lie next to them, but end no line; the control bytes
   * below 0x0E pass the word test and must be stepped over one by one.
   */
  private static final byte[] NEAR_MISSES = {
    0x00,
    0x01,
    0x07,
    0x09,
    0x0b,
    0x0c,
    0x0e,
    (byte) 0x8a,
    (byte) 0x8d,
    (byte) 0xff,
    0x2a,
    0x2d,
    0x4a,
    0x4d,
    'x'
  };

  @Test
  void findsTheFirstCrOrLfAtEveryPositionAndOffset() {
    for (int length = 0; length <= 40; length++) {
      for (int offset = 0; offset < 9; offset++) {
        for (byte end : new byte[] {'\r', '\n'}) {
          for (int at = -1; at < length; at++) {
            byte[] bytes = new byte[offset + length + 3];
            for (int k = 0; k < bytes.length; k++) {
              bytes[k] = NEAR_MISSES[(k * 7 + length) % NEAR_MISSES.length];
            }
            if (at >= 0) {
              bytes[offset + at] = end;
              // A later line end, and one before the range, must not be found instead.
              if (offset + at + 2 < offset + length) {
                bytes[offset + at + 2] = '\n';
              }
              if (offset > 0) {
                bytes[offset - 1] = '\r';
              }
            }
            int to = offset + length;
            assertThat(LineEnds.find(bytes, offset, to))
                .as("%s in %s from %d to %d", at, Arrays.toString(bytes), offset, to)
                .isEqualTo(plainFind(bytes, offset, to));
          }
        }
      }
    }
  }

  @Test
  void runsOfOtherControlBytesAreSteppedOver() {
    for (int run = 0; run <= 20; run++) {
      byte[] bytes = new byte[run + 1];
      Arrays.fill(bytes, 0, run, (byte) '\t');
      bytes[run] = '\n';
      assertThat(LineEnds.find(bytes, 0, bytes.length)).as("after %d tabs", run).isEqualTo(run);
      assertThat(LineEnds.find(bytes, 0, run)).as("%d tabs only", run).isEqualTo(run);
    }
  }

  @Test
  void beyondTheRangeIsNeverRead() {
    byte[] bytes = "abcdefghij\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(LineEnds.find(bytes, 0, 10)).isEqualTo(10);
    assertThat(LineEnds.find(bytes, 3, 11)).isEqualTo(10);
  }

  private static int plainFind(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\r' || bytes[i] == '\n') {
        return i;
      }
    }
    return to;
  }
}
