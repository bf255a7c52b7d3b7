package org.ssekit.apisnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lists the public API of one library module as sorted text lines: every public type of a package
 * the module exports to everyone, with its supertypes, and each public or protected member.
 *
 * <p>Packages exported only to named modules ({@code exports … to …}) are not API and are left out.
 * Lines use {@link Class#toGenericString()} and its member counterparts, so a change of modifiers,
 * generics or declared exceptions changes the dump too.
 */
final class ApiDump {
  private ApiDump() {}

  /** Returns the API lines of the module that holds {@code anchor}. */
  static List<String> of(Class<?> anchor) {
    Path location = locationOf(anchor);
    String moduleName = moduleNameOf(location);
    ModuleDescriptor descriptor =
        ModuleFinder.of(location)
            .find(moduleName)
            .orElseThrow(
                () -> new IllegalStateException("no module " + moduleName + " at " + location))
            .descriptor();
    Set<String> exported =
        descriptor.exports().stream()
            .filter(export -> !export.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    List<String> lines = new ArrayList<>();
    for (String className : classNames(location)) {
      int dot = className.lastIndexOf('.');
      if (dot < 0 || !exported.contains(className.substring(0, dot))) {
        continue;
      }
      Class<?> type = load(className, anchor.getClassLoader());
      if (isApi(type)) {
        lines.addAll(describe(type));
      }
    }
    return lines;
  }

  private static boolean isApi(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
      int modifiers = t.getModifiers();
      if (!Modifier.isPublic(modifiers) && !Modifier.isProtected(modifiers)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> describe(Class<?> type) {
    StringBuilder header = new StringBuilder(type.toGenericString());
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
      header.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0 && !type.isAnnotation()) {
      header
          .append(type.isInterface() ? " extends " : " implements ")
          .append(Stream.of(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    TreeSet<String> members = new TreeSet<>();
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (isApi(constructor)) {
        members.add(constructor.toGenericString());
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (isApi(method) && !method.isBridge()) {
        members.add(method.toGenericString());
      }
    }
    for (Field field : type.getDeclaredFields()) {
      if (isApi(field)) {
        members.add(field.toGenericString());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(header.toString());
    for (String member : members) {
      lines.add("  " + member);
    }
    return lines;
  }

  private static boolean isApi(Member member) {
    int modifiers = member.getModifiers();
    return !member.isSynthetic()
        && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
  }

  private static Path locationOf(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String moduleNameOf(Path location) {
    Set<ModuleDescriptor> descriptors =
        ModuleFinder.of(location).findAll().stream()
            .map(reference -> reference.descriptor())
            .collect(Collectors.toSet());
    if (descriptors.size() != 1 || descriptors.iterator().next().isAutomatic()) {
      throw new IllegalStateException("expected one explicit module at " + location);
    }
    return descriptors.iterator().next().name();
  }

  /** The binary names of the classes at {@code location}, a jar or a class directory, sorted. */
  private static TreeSet<String> classNames(Path location) {
    TreeSet<String> names = new TreeSet<>();
    try {
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files
              .filter(file -> file.toString().endsWith(".class"))
              .map(
                  file ->
                      location
                          .relativize(file)
                          .toString()
                          .replace(location.getFileSystem().getSeparator(), "/"))
              .forEach(path -> addClassName(names, path));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().forEach(entry -> addClassName(names, entry.getName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static void addClassName(Set<String> names, String path) {
    if (path.endsWith(".class")
        && !path.endsWith("module-info.class")
        && !path.endsWith("package-info.class")
        && !path.startsWith("META-INF/")) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot load " + name, e);
    }
  }
}
