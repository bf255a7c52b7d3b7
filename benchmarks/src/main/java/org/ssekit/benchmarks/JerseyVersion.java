package org.ssekit.benchmarks;

import org.glassfish.jersey.server.ResourceConfig;

/** The version of Jersey on the class path, for the results. */
final class JerseyVersion {
  private JerseyVersion() {}

  static String get() {
    String version = ResourceConfig.class.getPackage().getImplementationVersion();
    return version == null ? "4.0.x" : version;
  }
}
