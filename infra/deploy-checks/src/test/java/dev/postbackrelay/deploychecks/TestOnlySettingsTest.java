package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The settings that exist only for the local stack's crash and fault tests (the stats function
 * halting after N writes) are never deployed: no function of the template is told them, and the
 * template's text does not name them.
 */
class TestOnlySettingsTest {

  static final List<String> TEST_ONLY = List.of("RELAY_STATS_CRASH_AFTER_WRITES", "RELAY_STATS_CRASH_ONCE_MARKER");

  final Template template = Template.get();

  @Test
  void noFunctionIsGivenATestOnlySetting() throws IOException {
    List<String> found = new ArrayList<>();
    for (String f : template.functions()) {
      TEST_ONLY.stream().filter(template.environment(f)::containsKey).forEach(k -> found.add(f + ": " + k));
    }
    String text = Files.readString(Repo.path("template.yaml"));
    TEST_ONLY.stream().filter(text::contains).forEach(k -> found.add("template.yaml names " + k));
    assertEquals(List.of(), found);
  }
}
