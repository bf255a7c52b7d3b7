package org.ssekit.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * ssekit-bom, as installed, names exactly the reactor's published jar modules (those without {@code
 * maven.deploy.skip}), at the reactor's version, and each of them was installed with its -sources
 * and -javadoc jar.
 */
class PublishedArtifactsTest {
  private static final String GROUP_PATH = "org/ssekit";

  @Test
  void theBomNamesEveryPublishedModuleAndNothingElse() throws Exception {
    Path reactor = Path.of(required("ssekit.reactor"));
    TreeSet<String> published = new TreeSet<>();
    for (String module : children(read(reactor.resolve("pom.xml")), "modules", "module")) {
      Document pom = read(reactor.resolve(module).resolve("pom.xml"));
      boolean jar = text(pom.getDocumentElement(), "packaging", "jar").equals("jar");
      boolean skipped =
          children(pom, "properties", "maven.deploy.skip").stream().anyMatch("true"::equals);
      if (jar && !skipped) {
        published.add(text(pom.getDocumentElement(), "artifactId", null));
      }
    }
    assertThat(published).as("published modules of the reactor").isNotEmpty();
    assertThat(bomArtifacts()).as("artifacts of ssekit-bom").isEqualTo(published);
  }

  @Test
  void everyArtifactOfTheBomWasInstalledWithSourcesAndJavadoc() throws Exception {
    String version = required("ssekit.version");
    for (String artifact : bomArtifacts()) {
      Path dir = repository().resolve(GROUP_PATH).resolve(artifact).resolve(version);
      Path jar = dir.resolve(artifact + "-" + version + ".jar");
      Path sources = dir.resolve(artifact + "-" + version + "-sources.jar");
      Path javadoc = dir.resolve(artifact + "-" + version + "-javadoc.jar");
      assertThat(jar).as(artifact + " jar").isRegularFile();
      assertThat(entries(sources)).as(artifact + " sources").anyMatch(e -> e.endsWith(".java"));
      assertThat(entries(javadoc)).as(artifact + " javadoc").contains("index.html");
    }
  }

  private static TreeSet<String> bomArtifacts() throws Exception {
    String version = required("ssekit.version");
    Path bom =
        repository()
            .resolve(GROUP_PATH)
            .resolve("ssekit-bom")
            .resolve(version)
            .resolve("ssekit-bom-" + version + ".pom");
    Document pom = read(bom);
    assertThat(text(pom.getDocumentElement(), "version", null)).isEqualTo(version);
    TreeSet<String> artifacts = new TreeSet<>();
    NodeList dependencies = pom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      assertThat(text(dependency, "groupId", null)).isEqualTo("org.ssekit");
      assertThat(text(dependency, "version", null)).isEqualTo("${project.version}");
      artifacts.add(text(dependency, "artifactId", null));
    }
    return artifacts;
  }

  private static Path repository() {
    return Path.of(required("ssekit.repository"));
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    assertThat(value)
        .as("system property " + property + " (set by consumer-test's invoker run)")
        .isNotBlank();
    return value;
  }

  private static List<String> entries(Path jar) throws IOException {
    assertThat(jar).isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(e -> e.getName()).toList();
    }
  }

  private static Document read(Path pom) throws Exception {
    assertThat(pom).isRegularFile();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  /** Returns the text of {@code element}'s own child named {@code name}, or {@code absent}. */
  private static String text(Element element, String name, String absent) {
    for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element && child.getNodeName().equals(name)) {
        return child.getTextContent().trim();
      }
    }
    assertThat(absent).as("<" + name + "> in <" + element.getNodeName() + ">").isNotNull();
    return absent;
  }

  /** Returns the texts of the {@code name} children of the project's {@code section}. */
  private static List<String> children(Document pom, String section, String name) {
    List<String> texts = new ArrayList<>();
    for (Node s = pom.getDocumentElement().getFirstChild(); s != null; s = s.getNextSibling()) {
      if (s instanceof Element && s.getNodeName().equals(section)) {
        for (Node c = s.getFirstChild(); c != null; c = c.getNextSibling()) {
          if (c instanceof Element && c.getNodeName().equals(name)) {
            texts.add(c.getTextContent().trim());
          }
        }
      }
    }
    return texts;
  }
}
