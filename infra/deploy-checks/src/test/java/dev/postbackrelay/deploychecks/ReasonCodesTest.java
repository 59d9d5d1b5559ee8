package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every reason code the core can give is documented in docs/openapi.yaml, as a value of the
 * refusal codes ({@code ErrorCode}) or of attribution's reasons ({@code AsyncReason}), and the
 * document lists no code the core does not have. Networks match on these codes.
 */
class ReasonCodesTest {

  private static final String REASON = "functions/core/src/main/java/dev/postbackrelay/common/Reason.java";
  private static final Pattern CONSTANT = Pattern.compile("^  ([A-Z][A-Z0-9_]*)\\(", Pattern.MULTILINE);
  private static final List<String> SCHEMAS = List.of("ErrorCode", "AsyncReason");

  @Test
  void everyReasonCodeIsDocumentedAndEveryDocumentedCodeExists() throws Exception {
    Set<String> core = coreCodes();
    assertTrue(core.size() > 20, () -> "read too few codes from " + REASON + ": " + core);
    Set<String> documented = new TreeSet<>();
    schemas(SCHEMAS).forEach((name, schema) -> documented.addAll(values(name, schema)));
    Set<String> undocumented = new TreeSet<>(core);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(core);
    assertEquals(Set.of(), undocumented, "reason codes missing from the enums of " + SCHEMAS + " in docs/openapi.yaml");
    assertEquals(Set.of(), unknown, "docs/openapi.yaml lists codes that Reason does not have");
  }

  @Test
  void everyDocumentedCodeIsExplainedInItsSchemaDescription() throws Exception {
    assertExplained(schemas(SCHEMAS));
  }

  /** Every value of each schema's enum is written, in backticks, in that schema's description. */
  static void assertExplained(Map<String, Map<String, Object>> schemas) {
    schemas.forEach((name, schema) -> values(name, schema).forEach(code -> assertTrue(
        String.valueOf(schema.get("description")).contains("`" + code + "`"),
        () -> name + " lists `" + code + "` but its description does not say what it means")));
  }

  private static Set<String> coreCodes() {
    Set<String> codes = new TreeSet<>();
    Matcher m = CONSTANT.matcher(JavaSources.withoutComments(Repo.read(REASON)));
    while (m.find()) {
      codes.add(m.group(1).toLowerCase(Locale.ROOT));
    }
    return codes;
  }

  @SuppressWarnings("unchecked")
  static List<String> values(String name, Map<String, Object> schema) {
    Object values = schema.get("enum");
    assertTrue(values instanceof List, () -> name + " in docs/openapi.yaml has no enum of codes");
    return (List<String>) values;
  }

  @SuppressWarnings("unchecked")
  /** The named schemas of docs/openapi.yaml's components. */
  static Map<String, Map<String, Object>> schemas(List<String> names) throws Exception {
    try (Reader in = Files.newBufferedReader(Repo.path(OpenApiRoutesTest.OPENAPI))) {
      Map<String, Object> doc = new Yaml().load(in);
      Map<String, Object> all = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
      Map<String, Map<String, Object>> picked = new LinkedHashMap<>();
      names.forEach(n -> picked.put(n, (Map<String, Object>) all.get(n)));
      return picked;
    }
  }
}
