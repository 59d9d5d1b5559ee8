package dev.postbackrelay.templateyaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudFormationYamlTest {

  private static Object read(String yaml) {
    return CloudFormationYaml.parser().load(yaml);
  }

  @Test
  void ref_isTheLongForm() {
    assertEquals(Map.of("v", Map.of("Ref", "ItemsTable")), read("v: !Ref ItemsTable"));
    assertEquals(Map.of("v", Map.of("Ref", "ClickFunction.Version")), read("v: !Ref ClickFunction.Version"));
  }

  @Test
  void getAtt_scalarAndSequence_splitAtTheFirstDot() {
    assertEquals(Map.of("v", Map.of("Fn::GetAtt", List.of("WorkQueue", "Arn"))), read("v: !GetAtt WorkQueue.Arn"));
    assertEquals(Map.of("v", Map.of("Fn::GetAtt", List.of("ClickFunction", "Version.Version"))),
        read("v: !GetAtt ClickFunction.Version.Version"));
    assertEquals(Map.of("v", Map.of("Fn::GetAtt", List.of("WorkQueue", "QueueName"))),
        read("v: !GetAtt [WorkQueue, QueueName]"));
  }

  @Test
  void functions_keepTheirArgumentShape() {
    assertEquals(Map.of("v", Map.of("Fn::Sub", "hello-${Stage}")), read("v: !Sub 'hello-${Stage}'"));
    assertEquals(Map.of("v", Map.of("Fn::Sub", List.of("${A}", Map.of("A", Map.of("Ref", "B"))))),
        read("v: !Sub ['${A}', {A: !Ref B}]"));
    assertEquals(Map.of("v", Map.of("Fn::If", List.of("IsDev", false, true))), read("v: !If [IsDev, false, true]"));
    assertEquals(Map.of("v", Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "dev"))),
        read("v: !Equals [!Ref Stage, dev]"));
    assertEquals(Map.of("v", Map.of("Fn::ToJsonString", Map.of("a", 1))), read("v: !ToJsonString {a: 1}"));
  }

  @Test
  void everyShortFormFunction_isRead() {
    for (String function : CloudFormationYaml.FUNCTIONS) {
      assertEquals(Map.of("v", Map.of("Fn::" + function, "x")), read("v: !" + function + " x"), function);
    }
  }

  @Test
  void condition_isTheConditionKey() {
    assertEquals(Map.of("v", Map.of("Fn::And", List.of(Map.of("Condition", "IsDev"), Map.of("Condition", "IsEu")))),
        read("v: !And [!Condition IsDev, !Condition IsEu]"));
  }

  @Test
  void longForm_readsTheSameAsShortForm() {
    assertEquals(read("v: !GetAtt WorkQueue.Arn"), read("v: {'Fn::GetAtt': [WorkQueue, Arn]}"));
    assertEquals(read("v: !Ref X"), read("v: {Ref: X}"));
  }

  @Test
  void refOf_recognisesRefAndGetAtt_only() {
    assertEquals(Optional.of(new Ref("ItemsTable", null)), Ref.of(Map.of("Ref", "ItemsTable")));
    assertEquals(Optional.of(new Ref("WorkQueue", "Arn")), Ref.of(Map.of("Fn::GetAtt", List.of("WorkQueue", "Arn"))));
    assertEquals(Optional.empty(), Ref.of(Map.of("Fn::Sub", "${X}")));
    assertEquals(Optional.empty(), Ref.of("ItemsTable"));
    assertEquals(Optional.empty(), Ref.of(Map.of("Ref", "A", "Other", "B")));
  }

  @Test
  void load_readsTheTopLevelMapping(@TempDir Path dir) throws Exception {
    Path template = Files.writeString(dir.resolve("template.yaml"),
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy:\n"
            + "        deadLetterTargetArn: !GetAtt D.Arn\n");
    Map<String, Object> root = CloudFormationYaml.load(template);
    assertEquals(Map.of("Q", Map.of("Type", "AWS::SQS::Queue", "Properties", Map.of("RedrivePolicy",
        Map.of("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of("D", "Arn")))))), root.get("Resources"));
    assertThrows(UncheckedIOException.class, () -> CloudFormationYaml.load(dir.resolve("missing.yaml")));
  }
}
