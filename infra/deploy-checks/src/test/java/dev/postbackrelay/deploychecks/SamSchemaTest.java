package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** template.yaml against the JSON schema AWS SAM publishes (src/test/resources/sam.schema.json). */
class SamSchemaTest {

  static JsonSchema schema;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = SamSchemaTest.class.getResourceAsStream("/sam.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
  }

  @Test
  void templateConformsToSamsPublishedSchema() {
    Set<ValidationMessage> errors = schema.validate(JSON.valueToTree(Template.get().root()));

    assertTrue(errors.isEmpty(), () -> "template.yaml breaks SAM's schema:\n" + describe(errors));
  }

  @Test
  void schemaCatchesAMisspelledFunctionProperty() {
    JsonNode template = JSON.valueToTree(Template.get().root());
    ((ObjectNode) template.path("Resources").path("ClickFunction").path("Properties")).put("Timeuot", 10);

    assertFalse(schema.validate(template).isEmpty(), "the schema check must be able to fail");
  }

  private static String describe(Set<ValidationMessage> errors) {
    return errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("\n"));
  }
}
