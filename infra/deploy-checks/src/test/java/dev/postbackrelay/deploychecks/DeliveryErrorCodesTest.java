package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every delivery error code the core can write ({@code DeliveryError}) is a value of
 * {@code DeliveryErrorCode} in docs/openapi.yaml, explained in its description, and the document
 * lists no code the core does not have. Operators and scripts match the delivery log's
 * {@code error} on these codes.
 */
class DeliveryErrorCodesTest {

  private static final String DELIVERY_ERROR =
      "functions/core/src/main/java/dev/postbackrelay/forwarding/DeliveryError.java";
  /** A constant and its wire code: {@code TIMEOUT("timeout", ...}. */
  private static final Pattern CONSTANT = Pattern.compile("^  [A-Z][A-Z0-9_]*\\(\"([a-z0-9_]+)\"", Pattern.MULTILINE);
  private static final List<String> SCHEMA = List.of("DeliveryErrorCode");

  @Test
  void everyDeliveryErrorCodeIsDocumentedAndEveryDocumentedCodeExists() throws Exception {
    Set<String> core = coreCodes();
    assertTrue(core.size() > 20, () -> "read too few codes from " + DELIVERY_ERROR + ": " + core);
    Set<String> documented = new TreeSet<>();
    ReasonCodesTest.schemas(SCHEMA)
        .forEach((name, schema) -> documented.addAll(ReasonCodesTest.values(name, schema)));
    Set<String> undocumented = new TreeSet<>(core);
    undocumented.removeAll(documented);
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(core);
    assertEquals(Set.of(), undocumented,
        "delivery error codes missing from the enum of DeliveryErrorCode in docs/openapi.yaml");
    assertEquals(Set.of(), unknown, "docs/openapi.yaml lists delivery error codes that DeliveryError does not have");
  }

  @Test
  void everyDocumentedCodeIsExplained_andTheDeliveryLogRefersToTheCodes() throws Exception {
    ReasonCodesTest.assertExplained(ReasonCodesTest.schemas(SCHEMA));
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) ((Map<String, Object>) ReasonCodesTest
        .schemas(List.of("DeliveryAttempt")).get("DeliveryAttempt").get("properties")).get("error");
    assertTrue(String.valueOf(error.get("anyOf")).contains("#/components/schemas/DeliveryErrorCode"),
        "DeliveryAttempt.error refers to DeliveryErrorCode: " + error.get("anyOf"));
  }

  private static Set<String> coreCodes() {
    Set<String> codes = new TreeSet<>();
    Matcher m = CONSTANT.matcher(JavaSources.withoutComments(Repo.read(DELIVERY_ERROR)));
    while (m.find()) {
      codes.add(m.group(1));
    }
    return codes;
  }
}
