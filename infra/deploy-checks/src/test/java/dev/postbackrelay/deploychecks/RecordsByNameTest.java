package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The records of many components change and are built by name: their canonical constructors are
 * called only by their own {@code Builder} (in the record's file), never from main or test code,
 * so a copy that changes one field cannot come back as a hand copy of 12 to 18 positional
 * arguments. A record cannot make its canonical constructor private, so this scan is the guard.
 */
class RecordsByNameTest {

  /** Records built only through {@code builder()}, {@code toBuilder()} or a {@code withX} copy. */
  static final List<String> BY_NAME = List.of("Postback", "Campaign", "Conversion", "Click");

  private static final List<String> SOURCES = List.of("functions", "infra");
  private static final Pattern CONSTRUCTION = Pattern.compile(
      "\\bnew\\s+(?:[\\w.]+\\.)?(" + String.join("|", BY_NAME) + ")\\s*\\(|\\b(" + String.join("|", BY_NAME)
          + ")\\s*::\\s*new\\b");

  @Test
  void onlyTheirBuildersCallTheCanonicalConstructors() {
    List<String> found = new ArrayList<>();
    Set<String> scanned = new TreeSet<>();
    for (String directory : SOURCES) {
      JavaSources.under(directory).forEach((file, source) -> {
        String path = file.toString().replace('\\', '/');
        if (path.contains("/src/main/java/") || path.contains("/src/test/java/")) {
          found.addAll(constructorCalls(file, source));
          scanned.add(file.getFileName().toString());
        }
      });
    }
    BY_NAME.forEach(record -> assertTrue(scanned.contains(record + ".java"), "the scan must see " + record + ".java"));
    assertEquals(List.of(), found, "build these records by name: X.builder()...build(), x.toBuilder()...build()"
        + " or a withX copy, not new X(...) with positional arguments");
  }

  @Test
  void theScanFindsPositionalConstructionOutsideTheRecordsOwnFile() {
    String source = """
        class Mapper {
          Click a = new Click(id, campaign, null, null, null, null, null, null, null, null, null, null);
          Campaign b = new dev.postbackrelay.campaign.Campaign (id);
          Function<String, Conversion> c = Conversion::new;
          ClickResult fine = new ClickResult(id, url);
          String alsoFine = "new Postback(";
          Postback built = Postback.builder().postbackId(id).build();
        }
        """;
    assertEquals(List.of("Mapper.java: new Click(", "Mapper.java: new dev.postbackrelay.campaign.Campaign (",
        "Mapper.java: Conversion::new"), constructorCalls(Path.of("Mapper.java"), source));
    String record = """
        public record Click(String clickId) {
          public static final class Builder {
            public Click build() {
              return new Click(clickId);
            }
          }
        }
        """;
    assertEquals(List.of(), constructorCalls(Path.of("Click.java"), record));
  }

  /** Calls of a by-name record's constructor in this file, unless it is that record's own file. */
  static List<String> constructorCalls(Path file, String source) {
    String code = PackageStructureTest.withoutStrings(JavaSources.withoutComments(source));
    String fileName = file.getFileName().toString();
    Path shown = file.isAbsolute() ? Repo.root().relativize(file) : file;
    List<String> found = new ArrayList<>();
    Matcher m = CONSTRUCTION.matcher(code);
    while (m.find()) {
      String record = m.group(1) != null ? m.group(1) : m.group(2);
      boolean ownFile = fileName.equals(record + ".java")
          && Pattern.compile("\\brecord\\s+" + record + "\\s*\\(").matcher(code).find();
      if (!ownFile) {
        found.add(shown + ": " + m.group());
      }
    }
    return found;
  }
}
