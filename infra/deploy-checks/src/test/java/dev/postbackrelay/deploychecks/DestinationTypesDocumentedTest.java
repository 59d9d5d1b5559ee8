package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The destination types docs/openapi.yaml offers operators ({@code Destination.type}) are the ones
 * the registry lists ({@code DestinationTypes.BUILT_IN}), in its order: a type added with its one
 * registry line is also described, and none is described that the product does not have.
 */
class DestinationTypesDocumentedTest {

  private static final String BUILDERS = "functions/core/src/main/java/dev/postbackrelay/forwarding/builders/";
  private static final String DESTINATION = "functions/core/src/main/java/dev/postbackrelay/campaign/Destination.java";
  private static final Pattern BUILT_IN =
      Pattern.compile("BUILT_IN = new DestinationTypes\\(List\\.of\\(([^;]*)\\)\\);");
  private static final Pattern TYPE_CLASS = Pattern.compile("new (\\w+)\\(\\)");
  private static final Pattern OWN_TYPE = Pattern.compile("new Destination\\.Type\\(\"([a-z0-9_]+)\"\\)");
  private static final Pattern RETURNS_TYPE =
      Pattern.compile("Destination\\.Type type\\(\\) \\{\\s*return Destination\\.Type\\.(\\w+);");

  @Test
  void theDocumentedTypesAreTheRegisteredOnes() throws Exception {
    String registry = JavaSources.withoutComments(Repo.read(BUILDERS + "DestinationTypes.java"));
    Matcher list = BUILT_IN.matcher(registry);
    assertTrue(list.find(), "DestinationTypes.BUILT_IN is no longer a List.of(new ...()) the check can read");
    String destination = Repo.read(DESTINATION);
    List<String> registered = new ArrayList<>();
    Matcher type = TYPE_CLASS.matcher(list.group(1));
    while (type.find()) {
      String source = JavaSources.withoutComments(Repo.read(BUILDERS + type.group(1) + ".java"));
      registered.add(typeId(type.group(1), source, destination));
    }
    assertTrue(registered.size() >= 4, () -> "read too few types: " + registered);
    assertEquals(registered, documented(),
        "Destination.type in docs/openapi.yaml lists other types than the registry");
  }

  /** The id a type class declares ({@code new Destination.Type("x")}), or its Destination.Type constant's. */
  private static String typeId(String typeClass, String source, String destination) {
    Matcher own = OWN_TYPE.matcher(source);
    if (own.find()) {
      return own.group(1);
    }
    Matcher constant = RETURNS_TYPE.matcher(source);
    assertTrue(constant.find(), typeClass + " declares no Destination.Type the check can read");
    Matcher id = Pattern.compile(constant.group(1) + " = new Type\\(\"([a-z0-9_]+)\"\\)").matcher(destination);
    assertTrue(id.find(), "Destination.Type." + constant.group(1) + " has no id the check can read");
    return id.group(1);
  }

  @SuppressWarnings("unchecked")
  private static List<String> documented() throws Exception {
    Map<String, Object> destination = ReasonCodesTest.schemas(List.of("Destination")).get("Destination");
    Map<String, Object> type = (Map<String, Object>) ((Map<String, Object>) destination.get("properties")).get("type");
    return (List<String>) type.get("enum");
  }
}
