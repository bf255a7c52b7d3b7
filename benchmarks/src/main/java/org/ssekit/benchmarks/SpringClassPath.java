package org.ssekit.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the Spring Boot contestants live. Boot 3.5 runs on Tomcat 10.1 and the harness's other
 * contestants on Tomcat 11, so the Spring contestants are built by the {@code benchmarks-spring}
 * module and their server JVMs start on its class path: {@code
 * benchmarks-spring/target/ssekit-bench-spring.jar} next to this harness's {@code benchmarks}
 * folder, or the class path in the system property {@value #PROPERTY}, or this JVM's own class path
 * when it already holds them (benchmarks-spring's own tests).
 *
 * <p><b>Thread safety:</b> stateless.
 */
final class SpringClassPath {
  /** The Spring contestants, run only when named. */
  static final List<String> CONTESTANTS = List.of("spring-emitter", "ssekit-spring");

  /** The system property that names the Spring contestants' class path. */
  static final String PROPERTY = "ssekit.bench.spring.classpath";

  private static final String FACTORY = "org.ssekit.benchmarks.SpringContestants";
  private static final String JAR = "ssekit-bench-spring.jar";

  private SpringClassPath() {}

  /**
   * Returns the class path of {@code contestant}'s server JVM.
   *
   * @throws IllegalStateException if it is a Spring contestant and benchmarks-spring is not built
   */
  static String serverClassPath(String contestant) {
    String own = System.getProperty("java.class.path");
    if (!CONTESTANTS.contains(contestant)) {
      return own;
    }
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    if (present()) {
      return own;
    }
    Path jar = builtJar();
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          contestant
              + " runs on benchmarks-spring's class path, and "
              + (jar == null ? JAR : jar)
              + " is not there: build it with `mvn -B -ntp -DskipTests -pl"
              + " benchmarks,benchmarks-spring -am package`, or name its class path with -D"
              + PROPERTY);
    }
    return jar.toString();
  }

  /** Creates the Spring contestant {@code name}; only on the Spring class path. */
  static Contestant create(String name, int keepAliveSeconds) {
    try {
      return (Contestant)
          Class.forName(FACTORY)
              .getMethod("create", String.class, int.class)
              .invoke(null, name, keepAliveSeconds);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          name + " needs benchmarks-spring on the class path (see SpringClassPath)", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create " + name, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + name, e);
    }
  }

  private static boolean present() {
    try {
      Class.forName(FACTORY, false, SpringClassPath.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * The benchmarks-spring jar beside this harness: from {@code benchmarks/target/ssekit-bench.jar}
   * or {@code benchmarks/target/classes}, {@code benchmarks-spring/target/ssekit-bench-spring.jar}.
   */
  private static Path builtJar() {
    try {
      Path here =
          Path.of(SpringClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath();
      Path target = here.getParent(); // the jar's folder, or the classes' folder's parent
      Path module = target == null ? null : target.getParent();
      Path root = module == null ? null : module.getParent();
      return root == null ? null : root.resolve("benchmarks-spring").resolve("target").resolve(JAR);
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
