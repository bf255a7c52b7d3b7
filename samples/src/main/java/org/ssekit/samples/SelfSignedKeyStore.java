package org.ssekit.samples;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The demo's TLS identity for {@code --tls}: a fresh EC P-256 key and a self-signed certificate for
 * {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the address the demo listens on, generated
 * at every start by the running JDK's {@code keytool} and kept in memory only (the key store file
 * lives in a temporary directory for the moment it takes to read it).
 *
 * <p>Why keytool: the JDK has no public API that signs a certificate, and a crypto library would be
 * a large dependency for a demo. sse-testkit's {@code SelfSignedCertificate} takes the same
 * approach for tests; this class is the demo's own (test support never enters a main scope), with
 * what a server started by a user needs: its listening address in the certificate, a validity that
 * outlasts a long-running demo, and a fingerprint to compare in the browser.
 *
 * <p><b>Thread safety:</b> immutable and thread-safe.
 */
final class SelfSignedKeyStore {
  /** The alias of the key entry. */
  static final String ALIAS = "ssekit-demo";

  private static final int VALIDITY_DAYS = 30;
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final KeyStore keyStore;
  private final String password;
  private final X509Certificate certificate;

  private SelfSignedKeyStore(KeyStore keyStore, String password) throws GeneralSecurityException {
    this.keyStore = keyStore;
    this.password = password;
    this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
  }

  /**
   * Generates a key and its certificate, valid for the loopback names and for {@code host} unless
   * it is a wildcard address ({@code 0.0.0.0}, {@code ::}), which no client connects to by name.
   *
   * @throws IOException if keytool cannot run (a JRE without it), fails (its output is in the
   *     message) or takes over a minute
   * @throws GeneralSecurityException if the key store it wrote cannot be read
   * @throws InterruptedException if interrupted while keytool runs
   */
  static SelfSignedKeyStore generate(String host)
      throws IOException, GeneralSecurityException, InterruptedException {
    String password = UUID.randomUUID().toString();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path dir = Files.createTempDirectory("ssekit-samples-tls");
    try {
      Path file = dir.resolve("demo.p12");
      List<String> command =
          List.of(
              keytool.toString(),
              "-genkeypair",
              "-noprompt",
              "-alias",
              ALIAS,
              "-keyalg",
              "EC",
              "-groupname",
              "secp256r1",
              "-validity",
              Integer.toString(VALIDITY_DAYS),
              "-dname",
              "CN=ssekit demo",
              "-ext",
              "SAN=" + subjectAlternativeNames(host),
              "-storetype",
              "PKCS12",
              "-keystore",
              file.toString(),
              "-storepass",
              password,
              "-keypass",
              password);
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IOException("keytool cannot run (--tls needs a JDK): " + keytool, e);
      }
      byte[] output;
      try (InputStream in = process.getInputStream()) {
        output = in.readAllBytes();
      }
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool timed out after " + KEYTOOL_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "keytool exit status "
                + process.exitValue()
                + ": "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        keyStore.load(in, password.toCharArray());
      }
      return new SelfSignedKeyStore(keyStore, password);
    } finally {
      Files.deleteIfExists(dir.resolve("demo.p12"));
      Files.deleteIfExists(dir);
    }
  }

  /** The names in keytool's {@code SAN=} syntax: the loopback ones, then {@code host}. */
  static String subjectAlternativeNames(String host) {
    Set<String> names = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean literal = bare.contains(":") || bare.matches("[0-9.]+");
    if (literal) {
      if (!isWildcard(bare)) {
        names.add("ip:" + bare);
      }
    } else if (!bare.equalsIgnoreCase("localhost")) {
      names.add("dns:" + bare);
    }
    return String.join(",", names);
  }

  private static boolean isWildcard(String literal) {
    try {
      // A literal only: getByName does not look it up.
      return InetAddress.getByName(literal).isAnyLocalAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the key store with the key and certificate under {@link #ALIAS}. */
  KeyStore keyStore() {
    return keyStore;
  }

  /** Returns the password of the key store and of its key entry; never logged. */
  String password() {
    return password;
  }

  /** Returns the certificate, for clients that want to trust exactly it. */
  X509Certificate certificate() {
    return certificate;
  }

  /** Returns the certificate's SHA-256 fingerprint as browsers show it: {@code AB:CD:...}. */
  String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint the demo's certificate", e);
    }
  }
}
