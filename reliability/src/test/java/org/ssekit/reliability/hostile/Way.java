package org.ssekit.reliability.hostile;

/**
 * The two adapters of a {@link HostileServer}: where a stream of {@code entry} parameters is, open
 * and behind the JWT check.
 *
 * <p><b>Thread safety:</b> an enum: immutable.
 */
enum Way {
  SERVLET("/servlet/open", "/servlet/jwt"),
  JAXRS("/api/entries", "/apijwt/entries");

  private final String open;
  private final String jwt;

  Way(String open, String jwt) {
    this.open = open;
    this.jwt = jwt;
  }

  /** The path of the open stream. */
  String open() {
    return open;
  }

  /** The path of the stream behind the JWT check. */
  String jwt() {
    return jwt;
  }

  @Override
  public String toString() {
    return this == SERVLET ? "servlet" : "jax-rs";
  }
}
