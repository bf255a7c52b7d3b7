package org.ssekit.interop;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Finds the versions of the Java clients, as their jars state them. */
final class Versions {
  private Versions() {}

  /**
   * Returns the version in the jar's Maven {@code pom.properties}, else its manifest's
   * implementation version, else {@code "unknown"}.
   *
   * @param type a class of the jar
   */
  static String ofMavenArtifact(Class<?> type, String groupId, String artifactId) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = type.getResourceAsStream(resource)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null) {
          return version;
        }
      }
    } catch (IOException e) {
      // Fall back to the manifest.
    }
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }
}
