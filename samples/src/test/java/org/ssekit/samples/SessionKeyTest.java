package org.ssekit.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session key: read from a file of 32-4096 bytes, refused with a reason naming the option and
 * the rule otherwise; sessions signed with one file's key verify each other's cookies, and those of
 * a random key verify their own only.
 */
class SessionKeyTest {
  private static final String OPTION = "--session-secret-file";

  @TempDir Path dir;

  private Path file(String name, int bytes) throws Exception {
    byte[] secret = new byte[bytes];
    new SecureRandom().nextBytes(secret);
    return Files.write(dir.resolve(name), secret);
  }

  private static ChatSessions sessions(SessionKey key) {
    Clock clock = Clock.systemUTC();
    Duration lifetime = Duration.ofMinutes(10);
    return new ChatSessions(key, new LocalLogouts(clock, lifetime), lifetime, false, clock);
  }

  private static String value(String setCookie) {
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  @Test
  void nodesGivenTheSameFileVerifyEachOthersCookiesAndOthersDoNot() throws Exception {
    Path shared = file("shared.key", 32);
    ChatSessions a = sessions(SessionKey.read(shared, OPTION));
    ChatSessions b = sessions(SessionKey.read(shared, OPTION));
    ChatSessions other = sessions(SessionKey.read(file("other.key", 32), OPTION));
    ChatSessions random = sessions(SessionKey.random());

    String fromA = value(a.login("alice"));
    String fromB = value(b.login("bob"));

    assertThat(b.verify(fromA).map(ChatSessions.Session::name)).contains("alice");
    assertThat(a.verify(fromB).map(ChatSessions.Session::name)).contains("bob");
    assertThat(other.verify(fromA)).isEmpty();
    assertThat(random.verify(fromA)).isEmpty();
    assertThat(a.verify(value(random.login("carol")))).isEmpty();
    assertThat(SessionKey.read(shared, OPTION).isShared()).isTrue();
    assertThat(SessionKey.random().isShared()).isFalse();
  }

  @Test
  void aFileOfThirtyTwoToFourThousandNinetySixBytesIsAKeyAsItIsLineEndIncluded() throws Exception {
    assertThat(SessionKey.read(file("min.key", 32), OPTION).spec().getEncoded()).hasSize(32);
    assertThat(SessionKey.read(file("max.key", 4096), OPTION).spec().getEncoded()).hasSize(4096);
    Path text = Files.writeString(dir.resolve("text.key"), "0123456789abcdef0123456789abcdef\n");
    assertThat(SessionKey.read(text, OPTION).spec().getEncoded()).hasSize(33);
  }

  @Test
  void aMissingShortLongOrDirectoryFileIsRefusedNamingTheOptionTheFileAndTheRule()
      throws Exception {
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> SessionKey.read(missing, OPTION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(OPTION + " names no file: " + missing + " (a file of 32-4096 bytes of key)");
    Path shortFile = file("short.key", 31);
    assertThatThrownBy(() -> SessionKey.read(shortFile, OPTION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(OPTION + " must hold at least 32 bytes of key: " + shortFile + " has 31");
    Path empty = file("empty.key", 0);
    assertThatThrownBy(() -> SessionKey.read(empty, OPTION))
        .hasMessage(OPTION + " must hold at least 32 bytes of key: " + empty + " has 0");
    Path longFile = file("long.key", 4097);
    assertThatThrownBy(() -> SessionKey.read(longFile, OPTION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(OPTION + " must hold at most 4096 bytes of key: " + longFile + " has 4097");
    assertThatThrownBy(() -> SessionKey.read(dir, OPTION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(OPTION + " is a directory: " + dir + " (a file of 32-4096 bytes of key)");
  }

  @Test
  void aServerWithABadSecretFileDoesNotStart() throws Exception {
    Path shortFile = file("short.key", 16);
    assertThatThrownBy(
            () ->
                ChatServer.start(
                    ChatOptions.defaults().withPort(0).withSessionSecretFile(shortFile)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(OPTION + " must hold at least 32 bytes of key: " + shortFile + " has 16");
  }
}
