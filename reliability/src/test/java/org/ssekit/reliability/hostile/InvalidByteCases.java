package org.ssekit.reliability.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Invalid UTF-8, NUL, control bytes and bare CR or LF in every header the adapters or the JWT check
 * read ({@code Last-Event-ID}, {@code Origin}, {@code Authorization}, {@code Cookie}, {@code
 * Accept}) and a few they do not, and in every query parameter they read ({@code entry}, {@code
 * lastEventId}, {@code access_token}), raw and percent-encoded, on the open and the JWT streams.
 *
 * <p>What each must get: the container's HTTP parser may refuse such bytes with a 4xx before any
 * application code runs (Tomcat refuses NUL and most control bytes in a header, for example);
 * otherwise the answer is the one the value would get as text: a header the stream does not read
 * changes nothing (a stream on the open way, {@code 401} on the JWT way, where no valid token is
 * sent); a hostile {@code Last-Event-ID} gets the gap notice; a hostile {@code entry} is an entry
 * that is valid (a stream) or breaks a rule ({@code 400}); a hostile token is {@code 401}.
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class InvalidByteCases implements CaseGenerator {
  private static final String[] HEADERS = {
    "Last-Event-ID", "Origin", "Authorization", "Cookie", "Accept", "User-Agent", "X-Forwarded-For"
  };
  private static final String[] PARAMETERS = {"entry", "lastEventId", "access_token"};

  @Override
  public List<HostileCase> generate(SplittableRandom random, Way way, int count) {
    List<HostileCase> cases = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean jwt = random.nextBoolean();
      String path = jwt ? way.jwt() : way.open();
      String entry = "entry=rooms/" + Garbage.word(random, 6);
      byte[] value = Garbage.hostileBytes(random, random.nextInt(2, 120), random.nextInt(8) == 0);
      if (random.nextBoolean()) {
        String header = HEADERS[random.nextInt(HEADERS.length)];
        byte[] line = Garbage.concat(header + ": ", value);
        Expect expect;
        if (jwt) {
          expect = Expect.refusal(401, "token");
        } else if (header.equals("Last-Event-ID")) {
          expect = Expect.gap();
        } else {
          expect = Expect.stream();
        }
        cases.add(
            new HostileCase(
                header + " " + Garbage.percentEncoded(value) + " on " + path,
                (path + "?" + entry).getBytes(StandardCharsets.US_ASCII),
                List.of(line),
                expect.orContainerRefusal()));
      } else {
        String parameter = PARAMETERS[random.nextInt(PARAMETERS.length)];
        boolean raw = random.nextBoolean();
        // Raw: the bytes as they are, but for those that end the request target (space, CR, LF,
        // '#') or start a new parameter ('&'), which would make another case.
        byte[] target =
            raw
                ? Garbage.concat(path + "?" + entry + "&" + parameter + "=", targetSafe(value))
                : (path + "?" + entry + "&" + parameter + "=" + Garbage.percentEncoded(value))
                    .getBytes(StandardCharsets.US_ASCII);
        Expect expect;
        switch (parameter) {
          case "entry":
            expect = new Expect(java.util.Set.of(200, jwt ? 401 : 400), false, false, null);
            break;
          case "lastEventId":
            // Where the container drops a parameter it cannot decode, there is no id, no gap.
            expect = jwt ? Expect.refusal(401, "token") : Expect.stream();
            break;
          default:
            expect = jwt ? Expect.refusal(401, "token") : Expect.stream();
        }
        cases.add(
            new HostileCase(
                (raw ? "raw " : "encoded ")
                    + parameter
                    + " "
                    + Garbage.percentEncoded(value)
                    + " on "
                    + path,
                target,
                List.of(),
                expect.orContainerRefusal()));
      }
    }
    return cases;
  }

  private static byte[] targetSafe(byte[] value) {
    byte[] safe = value.clone();
    for (int i = 0; i < safe.length; i++) {
      if (safe[i] == ' '
          || safe[i] == '\r'
          || safe[i] == '\n'
          || safe[i] == '#'
          || safe[i] == '&') {
        safe[i] = '_';
      }
    }
    return safe;
  }
}
