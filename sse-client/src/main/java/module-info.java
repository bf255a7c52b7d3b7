/**
 * A Java {@code EventSource} on {@code java.net.http}: reconnection as the WHATWG standard tells a
 * browser, and better where the browser is silent. Depends on the JDK only.
 */
module org.ssekit.client {
  requires transitive java.net.http;

  exports org.ssekit.client;
}
