package dev.postbackrelay.deploychecks;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * SnakeYAML that reads CloudFormation's short-form tags ({@code !Ref}, {@code !GetAtt},
 * {@code !Sub}...) into their long JSON form ({@code {"Ref": ...}}, {@code {"Fn::GetAtt": [..]}}),
 * which is what SAM's JSON schema and CloudFormation itself see.
 */
final class CloudFormationYaml {

  private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue",
      "Join", "Select", "Split", "Sub", "Transform", "If", "Equals", "Not", "And", "Or", "ToJsonString", "Length");

  private CloudFormationYaml() {}

  static Yaml create() {
    return new Yaml(new Constructor());
  }

  private static final class Constructor extends SafeConstructor {
    Constructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
      yamlConstructors.put(new Tag("!GetAtt"), new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          if (node instanceof ScalarNode scalar) {
            String value = scalar.getValue();
            int dot = value.indexOf('.');
            return Map.of("Fn::GetAtt", List.of(value.substring(0, dot), value.substring(dot + 1)));
          }
          return Map.of("Fn::GetAtt", constructSequence((SequenceNode) node));
        }
      });
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
      }
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String key;

      Intrinsic(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Object value = node instanceof ScalarNode scalar ? scalar.getValue()
            : node instanceof SequenceNode sequence ? constructSequence(sequence)
            : constructMapping((MappingNode) node);
        return Map.of(key, value);
      }
    }
  }
}
