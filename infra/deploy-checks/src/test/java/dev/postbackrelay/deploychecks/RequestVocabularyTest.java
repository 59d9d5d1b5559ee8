package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Reason;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The request vocabulary the code reads ({@link Param}) is the one {@code docs/openapi.yaml}
 * documents: the same names on {@code /click} and {@code /postback}, each alias documented as an
 * alias of its own canonical parameter, each canonical parameter listing its aliases in the order
 * they are tried, and the examples of {@code missing_click_id} quoting the sentence the code gives.
 */
class RequestVocabularyTest {

  private static Map<String, Object> doc;

  @BeforeAll
  static void load() throws Exception {
    try (Reader in = Files.newBufferedReader(Repo.path(OpenApiRoutesTest.OPENAPI))) {
      doc = new Yaml().load(in);
    }
  }

  @Test
  void postbackQueryParametersAreExactlyTheNamesThePostbackReads() {
    Set<String> documented = new TreeSet<>(queryParameters("/postback").keySet());
    documented.remove("extra"); // the form-exploded object of every other name, not a name itself
    assertEquals(new TreeSet<>(Param.reserved(Param.Route.POSTBACK)), documented,
        "GET /postback's query parameters in docs/openapi.yaml differ from common.Param");
  }

  @Test
  void postbackFormBodyHasExactlyTheNamesThePostbackReads() {
    assertEquals(new TreeSet<>(Param.reserved(Param.Route.POSTBACK)), new TreeSet<>(schemaProperties("PostbackParameters").keySet()),
        "PostbackParameters in docs/openapi.yaml differs from common.Param");
  }

  @Test
  void postbackJsonBodyNamesOnlyCanonicalParameters() {
    Set<String> canonical = canonicalNames(Param.Route.POSTBACK);
    Set<String> unknown = new TreeSet<>(schemaProperties("PostbackJsonParameters").keySet());
    unknown.removeAll(canonical);
    assertEquals(Set.of(), unknown, "PostbackJsonParameters names properties that are no canonical postback parameter");
  }

  @Test
  void clickQueryParametersIncludeEveryNameTheClickReads() {
    Set<String> missing = new TreeSet<>(Param.reserved(Param.Route.CLICK));
    missing.removeAll(queryParameters("/click").keySet());
    assertEquals(Set.of(), missing, "GET /click does not document these names it reads");
  }

  @Test
  void everyQueryAliasSaysWhoseAliasItIs_andEveryCanonicalParameterListsItsAliasesInOrder() {
    List<String> problems = new ArrayList<>();
    for (String route : List.of("/click", "/postback")) {
      Map<String, String> described = queryParameters(route);
      for (Param param : Param.values()) {
        if (!param.readBy(route.equals("/click") ? Param.Route.CLICK : Param.Route.POSTBACK)) {
          continue;
        }
        for (String alias : param.aliases()) {
          String text = described.getOrDefault(alias, "");
          if (!text.startsWith("Alias of `" + param.canonical() + "`")) {
            problems.add(route + " " + alias + ": description must start with \"Alias of `" + param.canonical() + "`\"");
          }
        }
        if (!param.aliases().isEmpty() && route.equals("/postback")) {
          String list = param.aliases().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", "));
          if (!oneLine(described.getOrDefault(param.canonical(), "")).contains(list)) {
            problems.add(route + " " + param.canonical() + ": description must list its aliases in order: " + list);
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyBodyAliasSaysWhoseAliasItIs_andEveryCanonicalPropertyListsItsAliasesInOrder() {
    Map<String, Object> properties = schemaProperties("PostbackParameters");
    List<String> problems = new ArrayList<>();
    for (Param param : Param.values()) {
      if (!param.readBy(Param.Route.POSTBACK) || param.aliases().isEmpty()) {
        continue;
      }
      param.aliases().forEach(alias -> {
        if (!description(properties.get(alias)).startsWith("Alias of " + param.canonical() + ".")) {
          problems.add(alias + ": description must start with \"Alias of " + param.canonical() + ".\"");
        }
      });
      String list = String.join(", ", param.aliases());
      if (!description(properties.get(param.canonical())).contains(list)) {
        problems.add(param.canonical() + ": description must list its aliases in order: " + list);
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void missingClickIdExamplesQuoteTheSentenceTheCodeGives() {
    List<String> examples = new ArrayList<>();
    collectMessages(doc, "missing_click_id", examples);
    assertFalse(examples.isEmpty(), "docs/openapi.yaml has no example of missing_click_id");
    examples.removeIf(m -> m.startsWith("A postback with customer_id")); // the lifetime variant, its own sentence
    examples.forEach(m -> assertEquals(Reason.MISSING_CLICK_ID.sentence(), m));
    assertTrue(Reason.MISSING_CLICK_ID.sentence().contains(String.join(", ", Param.CLICK_ID.aliases())));
  }

  /** Messages of every example object whose {@code error} is {@code code}, and the error schema's own example. */
  @SuppressWarnings("unchecked")
  private static void collectMessages(Object node, String code, List<String> into) {
    if (node instanceof Map<?, ?> map) {
      if (code.equals(map.get("error")) && map.get("message") instanceof String m) {
        into.add(m);
      }
      if (map.get("example") instanceof String s && s.startsWith("The " + Param.CLICK_ID.canonical() + " parameter")) {
        into.add(s);
      }
      ((Map<String, Object>) map).values().forEach(v -> collectMessages(v, code, into));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectMessages(v, code, into));
    }
  }

  private static Set<String> canonicalNames(Param.Route route) {
    return Arrays.stream(Param.values()).filter(p -> p.readBy(route)).map(Param::canonical)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The query parameters of {@code GET path}, name to description, references resolved. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> queryParameters(String path) {
    Map<String, Object> op = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) doc.get("paths"))
        .get(path)).get("get");
    Map<String, Object> components = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("parameters");
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) op.get("parameters")) {
      Map<String, Object> resolved = p.containsKey("$ref")
          ? (Map<String, Object>) components.get(((String) p.get("$ref")).substring("#/components/parameters/".length()))
          : p;
      if ("query".equals(resolved.get("in"))) {
        out.put((String) resolved.get("name"), description(resolved));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schemaProperties(String schema) {
    Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
    return (Map<String, Object>) ((Map<String, Object>) schemas.get(schema)).get("properties");
  }

  private static String description(Object node) {
    return node instanceof Map<?, ?> map && map.get("description") instanceof String d ? d.strip() : "";
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
