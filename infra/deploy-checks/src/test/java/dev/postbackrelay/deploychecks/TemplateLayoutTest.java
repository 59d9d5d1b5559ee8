package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateLayoutTest {

  final Template template = Template.get();

  @Test
  void sectionsComeInTheAgreedOrder() {
    assertEquals(List.of("AWSTemplateFormatVersion", "Transform", "Description",
        "Parameters", "Conditions", "Globals", "Resources", "Outputs"), template.sections());
  }

  @Test
  void stageParameterOffersDevStagingAndProd() {
    Map<String, Object> stage = Template.map(template.parameters().get("Stage"));

    assertEquals(List.of("dev", "staging", "prod"), stage.get("AllowedValues"));
  }

  @Test
  void everyParameterAndOutputSaysWhatItIs() {
    template.parameters().forEach((name, parameter) -> assertTrue(
        Template.map(parameter).get("Description") instanceof String d && !d.isBlank(),
        "parameter " + name + " has no Description"));
    assertTrue(!template.section("Outputs").isEmpty(), "no Outputs");
    template.section("Outputs").forEach((name, output) -> assertTrue(
        Template.map(output).get("Description") instanceof String d && !d.isBlank(),
        "output " + name + " has no Description"));
  }
}
