/** The ssekit core: protocol, topics, replay log and back-pressure. Depends on the JDK only. */
module org.ssekit {
  exports org.ssekit;
}
