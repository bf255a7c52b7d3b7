/**
 * A Java {@code EventSource} on {@code java.net.http}: reconnection as the WHATWG standard tells a
 * browser, and better where the browser is silent. Depends on the JDK only.
 */
module org.ssekit.client {
  requires transitive java.net.http;
  // temporary: until EventStreamParser/ReceivedEvent move here; ReceivedEvent is in our signatures.
  requires transitive org.ssekit;

  exports org.ssekit.client;
}
