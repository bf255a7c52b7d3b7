package org.ssekit.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The module without the Servlet API (nor sse-servlet) on the class path: the feature still
 * configures an application, with the write path through {@code SseEventSink.send}.
 */
class WithoutServletApiTest {
  /**
   * Hides {@code jakarta.servlet} and {@code org.ssekit.servlet}; loads the module's own classes
   * itself.
   */
  private static final class NoServletLoader extends URLClassLoader {
    NoServletLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("jakarta.servlet.") || name.startsWith("org.ssekit.servlet.")) {
        throw new ClassNotFoundException(name);
      }
      if (name.startsWith("org.ssekit.jaxrs.") && !name.endsWith("Test")) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> loaded = findLoadedClass(name);
          return loaded != null ? loaded : findClass(name);
        }
      }
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void theFeatureRegistersTheSinkWritePath() throws Exception {
    URL classes =
        Path.of(SseHubFeature.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toUri()
            .toURL();
    try (NoServletLoader loader =
            new NoServletLoader(new URL[] {classes}, getClass().getClassLoader());
        org.ssekit.SseHub hub = org.ssekit.SseHub.builder().name("noservlet").build()) {
      Class<?> feature = loader.loadClass(SseHubFeature.class.getName());
      assertThat(feature.getClassLoader()).isSameAs(loader);
      Object instance = feature.getMethod("of", org.ssekit.SseHub.class).invoke(null, hub);
      List<Object> registered = new ArrayList<>();
      Object context =
          Proxy.newProxyInstance(
              loader,
              new Class<?>[] {jakarta.ws.rs.core.FeatureContext.class},
              (proxy, method, arguments) -> {
                if (method.getName().equals("register")) {
                  registered.add(arguments[0]);
                }
                return method.getReturnType().isInstance(proxy) ? proxy : defaultValue(method);
              });
      Method configure = feature.getMethod("configure", jakarta.ws.rs.core.FeatureContext.class);
      assertThat(configure.invoke(instance, context)).isEqualTo(true);
      assertThat(registered)
          .extracting(component -> component.getClass().getSimpleName())
          .contains("StreamFilter", "RawChunkWriter", "SseTopicBinding")
          .doesNotContain("ServletStreamFilter");
    }
  }

  private static Object defaultValue(Method method) {
    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
  }
}
