package org.ssekit.interop;

import org.ssekit.testkit.SelfSignedCertificate;

/**
 * The one self-signed certificate of the test JVM, generated on first use: every path's TLS
 * connector presents it, and the Java clients of the HTTP/2 column trust exactly it.
 *
 * <p><b>Thread safety:</b> thread-safe.
 */
final class TlsCertificate {
  private static SelfSignedCertificate shared; // @GuardedBy("TlsCertificate.class")

  private TlsCertificate() {}

  /** Returns the certificate, generating it with keytool the first time. */
  static synchronized SelfSignedCertificate shared() throws Exception {
    if (shared == null) {
      shared = SelfSignedCertificate.generate();
    }
    return shared;
  }
}
