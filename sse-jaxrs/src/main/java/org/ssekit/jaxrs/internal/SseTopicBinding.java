package org.ssekit.jaxrs.internal;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ssekit.jaxrs.SseTopic;

/**
 * Checks every {@link SseTopic} method when the application starts, so that a mistake fails the
 * deployment with a message that names the method, rather than a request.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
final class SseTopicBinding implements DynamicFeature {
  /** A JAX-RS path template parameter: {@code {name}} or {@code {name: regex}}. */
  private static final Pattern PATH_PARAMETER =
      Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*(?::[^}]*)?}");

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    Method method = resourceInfo.getResourceMethod();
    SseTopic annotation = method.getAnnotation(SseTopic.class);
    if (annotation == null) {
      return;
    }
    String where =
        "@SseTopic method " + resourceInfo.getResourceClass().getName() + "." + method.getName();
    if (method.getReturnType() != void.class) {
      throw new IllegalStateException(where + " must return void: the topic writes the response");
    }
    if (!hasSinkParameter(method)) {
      throw new IllegalStateException(where + " must take a @Context SseEventSink parameter");
    }
    SelectionTemplate template;
    try {
      template = SelectionTemplate.parse(annotation.value());
      template.checkShape();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": " + e.getMessage(), e);
    }
    Path classPath = resourceInfo.getResourceClass().getAnnotation(Path.class);
    if (classPath == null) {
      return; // a sub-resource: its parents' path parameters are not known here
    }
    Path methodPath = method.getAnnotation(Path.class);
    Set<String> parameters = pathParameters(classPath.value());
    if (methodPath != null) {
      parameters.addAll(pathParameters(methodPath.value()));
    }
    Set<String> queryParameters = queryParameters(method);
    for (String name : template.names()) {
      if (!parameters.contains(name) && !queryParameters.contains(name)) {
        throw new IllegalStateException(
            where
                + ": {"
                + name
                + "} in \""
                + String.join("\", \"", annotation.value())
                + "\" is not a path parameter; the path has "
                + parameters
                + ", nor a @QueryParam of the method's; it has "
                + queryParameters);
      }
    }
  }

  /** The names of the method's {@code @QueryParam} parameters. */
  private static Set<String> queryParameters(Method method) {
    Set<String> names = new LinkedHashSet<>();
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      for (Annotation annotation : annotations) {
        if (annotation instanceof QueryParam) {
          names.add(((QueryParam) annotation).value());
        }
      }
    }
    return names;
  }

  private static boolean hasSinkParameter(Method method) {
    Class<?>[] types = method.getParameterTypes();
    Annotation[][] annotations = method.getParameterAnnotations();
    for (int i = 0; i < types.length; i++) {
      if (SseEventSink.class.isAssignableFrom(types[i])) {
        for (Annotation annotation : annotations[i]) {
          if (annotation.annotationType() == Context.class) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Set<String> pathParameters(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher matcher = PATH_PARAMETER.matcher(template);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }
}
