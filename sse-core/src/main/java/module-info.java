/** The ssekit core: protocol, topics, replay log and back-pressure. Depends on the JDK only. */
module org.ssekit {
  exports org.ssekit;
  // The rules and helpers the adapters and logs share (one home each); not API.
  exports org.ssekit.internal to
      org.ssekit.servlet,
      org.ssekit.jaxrs,
      org.ssekit.redis,
      org.ssekit.auth.jwt;
}
