package dev.postbackrelay.localruntime.template;

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
 * SnakeYAML that reads CloudFormation's short-form tags: {@code !Ref} and {@code !GetAtt} become
 * {@link Ref}s, every other intrinsic becomes a one-entry map {@code {"Fn::Name": value}} as in the
 * long form. Same reading as the local-aws provisioner, so both see one template the same way.
 */
public final class CloudFormationYaml {

  private static final List<String> FUNCTIONS = List.of("!Sub", "!If", "!Equals", "!Not", "!And", "!Or",
      "!Join", "!Select", "!Split", "!FindInMap", "!ImportValue", "!Condition", "!Base64", "!GetAZs", "!Cidr");

  private CloudFormationYaml() {}

  /** A new parser; SnakeYAML parsers are not thread-safe. */
  public static Yaml parser() {
    return new Yaml(new CfnConstructor());
  }

  private static final class CfnConstructor extends SafeConstructor {

    CfnConstructor() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!Ref"), new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          return new Ref(((ScalarNode) node).getValue(), null);
        }
      });
      yamlConstructors.put(new Tag("!GetAtt"), new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String value = node instanceof ScalarNode s ? s.getValue()
              : String.join(".", constructSequence((SequenceNode) node).stream().map(String::valueOf).toList());
          int dot = value.indexOf('.');
          return new Ref(value.substring(0, dot), value.substring(dot + 1));
        }
      });
      for (String fn : FUNCTIONS) {
        yamlConstructors.put(new Tag(fn), new AbstractConstruct() {
          @Override
          public Object construct(Node node) {
            Object value = node instanceof ScalarNode s ? s.getValue()
                : node instanceof SequenceNode q ? constructSequence(q) : constructMapping((MappingNode) node);
            return Map.of("Fn::" + fn.substring(1), value);
          }
        });
      }
    }
  }
}
