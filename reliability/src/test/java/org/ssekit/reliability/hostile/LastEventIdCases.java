package org.ssekit.reliability.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Malformed, garbage and huge {@code Last-Event-ID} values, by header and by the {@code
 * lastEventId} query parameter. The adapters' READMEs: "a malformed or very long value is treated
 * as unknown, never as a server error", and an unknown id gets the stream with the {@code
 * ssekit-gap} notice first. So every value the container lets through gets exactly that; a head
 * over the container's limit ({@value #HEAD_LIMIT} bytes on Jetty 12 and Tomcat 11) gets the
 * container's 4xx; raw bytes that the container's HTTP parser may refuse get the gap notice or a
 * 4xx.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class LastEventIdCases implements CaseGenerator {
  /** The containers' default limit of a request's head, in bytes. */
  static final int HEAD_LIMIT = 8192;

  /** A value length that keeps the head safely under {@link #HEAD_LIMIT}. */
  static final int UNDER_LIMIT = 7000;

  @Override
  public List<HostileCase> generate(SplittableRandom random, Way way, int count) {
    List<HostileCase> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String target = way.open() + "?entry=rooms/" + Garbage.word(random, 6);
      int kind = random.nextInt(7);
      switch (kind) {
        case 0:
          {
            String id = Garbage.printable(random, random.nextInt(1, 65));
            cases.add(header("printable garbage header", target, id, Expect.gap()));
            break;
          }
        case 1:
          {
            String id = Garbage.printable(random, random.nextInt(1000, UNDER_LIMIT));
            cases.add(header("long header (" + id.length() + ")", target, id, Expect.gap()));
            break;
          }
        case 2:
          {
            String id = Garbage.printable(random, random.nextInt(HEAD_LIMIT + 200, 40_000));
            cases.add(
                header(
                    "header over the limit (" + id.length() + ")",
                    target,
                    id,
                    Expect.containerRefusal()));
            break;
          }
        case 3:
          {
            byte[] id = Garbage.hostileBytes(random, random.nextInt(2, 100), false);
            cases.add(
                new HostileCase(
                    "hostile bytes header " + Garbage.percentEncoded(id),
                    target.getBytes(StandardCharsets.US_ASCII),
                    List.of(Garbage.concat("Last-Event-ID: ", id)),
                    Expect.gap().orContainerRefusal()));
            break;
          }
        case 4:
          {
            String id = Garbage.anyText(random, random.nextInt(1, 40));
            cases.add(
                HostileCase.of(
                    "any-text query " + Garbage.percentEncoded(id),
                    target + "&lastEventId=" + Garbage.percentEncoded(id),
                    List.of(),
                    Expect.gap()));
            break;
          }
        case 5:
          {
            String id = Garbage.word(random, random.nextInt(1000, UNDER_LIMIT));
            cases.add(
                HostileCase.of(
                    "long query (" + id.length() + ")",
                    target + "&lastEventId=" + id,
                    List.of(),
                    Expect.gap()));
            break;
          }
        default:
          {
            String id = Garbage.word(random, random.nextInt(HEAD_LIMIT + 200, 40_000));
            cases.add(
                HostileCase.of(
                    "query over the limit (" + id.length() + ")",
                    target + "&lastEventId=" + id,
                    List.of(),
                    Expect.containerRefusal()));
          }
      }
    }
    return cases;
  }

  private static HostileCase header(String description, String target, String id, Expect expect) {
    return HostileCase.of(
        description + " " + (id.length() > 80 ? id.substring(0, 80) + "..." : id),
        target,
        List.of("Last-Event-ID: " + id),
        expect);
  }
}
