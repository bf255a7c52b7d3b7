package org.ssekit.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link Matrix#replaceSection}: the README's generated section, strings in, string out. */
class MatrixSectionTest {
  private static final String BEGIN = Matrix.SECTION_BEGIN;
  private static final String END = Matrix.SECTION_END;

  @Test
  void replacesOnlyWhatIsBetweenTheMarkers() {
    String readme =
        "# interop\n\nintro\n\n" + BEGIN + "\n\nold matrix\n\n" + END + "\n\n## after\n";

    assertEquals(
        "# interop\n\nintro\n\n" + BEGIN + "\n\n## new matrix\n\n" + END + "\n\n## after\n",
        Matrix.replaceSection(readme, "## new matrix\n"));
  }

  @Test
  void fillsAnEmptySection() {
    assertEquals(
        "a\n" + BEGIN + "\n\nm\n\n" + END + "\nz\n",
        Matrix.replaceSection("a\n" + BEGIN + END + "\nz\n", "m"));
  }

  @Test
  void replacingTwiceGivesTheSameDocument() {
    String once = Matrix.replaceSection("x\n" + BEGIN + "\n" + END + "\n", "\n\nm\n\n\n");

    assertEquals(once, Matrix.replaceSection(once, "m"));
  }

  @Test
  void keepsTextThatLooksLikeMarkdownOutsideTheSection() {
    String before = "| a | b |\n|---|---|\n<!-- other comment -->\n";
    String after = "\n- D1 stays\n";

    assertEquals(
        before + BEGIN + "\n\nnew\n\n" + END + after,
        Matrix.replaceSection(before + BEGIN + "\nold\n" + END + after, "new"));
  }

  @Test
  void missingBeginIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Matrix.replaceSection("a\n" + END + "\n", "m"));

    assertEquals("matrix section marker missing: " + BEGIN, e.getMessage());
  }

  @Test
  void missingEndIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Matrix.replaceSection(BEGIN + "\nm\n", "m"));

    assertEquals("matrix section marker missing: " + END, e.getMessage());
  }

  @Test
  void repeatedMarkerIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Matrix.replaceSection(BEGIN + END + BEGIN + END, "m"));

    assertEquals("matrix section marker repeated: " + BEGIN, e.getMessage());
  }

  @Test
  void endBeforeBeginIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Matrix.replaceSection(END + "\n" + BEGIN, "m"));

    assertEquals("matrix section end before its begin: " + END, e.getMessage());
  }

  @Test
  void theModuleReadmeHasOneMatrixSection() throws IOException {
    // Surefire runs in the module's directory, where the interop run finds the README too.
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

    String replaced = Matrix.replaceSection(readme, "m");

    String head = readme.substring(0, readme.indexOf(BEGIN) + BEGIN.length());
    String tail = readme.substring(readme.indexOf(END));
    assertEquals(head + "\n\nm\n\n" + tail, replaced);
    assertTrue(head.startsWith("# interop\n"), head);
  }
}
