package dev.postbackrelay.templateyaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * SnakeYAML that reads CloudFormation's short-form tags into their long form, the form SAM's JSON
 * schema and CloudFormation itself see: {@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt X.Attr}
 * (or {@code [X, Attr]}) is {@code {"Fn::GetAtt": ["X", "Attr"]}}, {@code !Condition C} is
 * {@code {"Condition": "C"}} and every other {@code !Name v} is {@code {"Fn::Name": v}}. A template
 * written in the long form reads the same. {@link Ref#of} recognises the two references.
 *
 * <p>The local stand-ins, the local runtime and the deploy checks all read the template through
 * this class, so they see one template the same way.
 */
public final class CloudFormationYaml {

  /** The {@code Fn::} intrinsics that have a short form. */
  static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join",
      "Select", "Split", "Sub", "Transform", "If", "Equals", "Not", "And", "Or", "ToJsonString", "Length");

  private CloudFormationYaml() {}

  /** A new parser; SnakeYAML parsers are not thread-safe. */
  public static Yaml parser() {
    return new Yaml(new Constructor());
  }

  /**
   * The template's top-level mapping ({@code Parameters}, {@code Resources}, ...).
   *
   * @throws UncheckedIOException the file cannot be read
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(Path template) {
    try (Reader reader = Files.newBufferedReader(template)) {
      Object root = parser().load(reader);
      return root == null ? Map.of() : (Map<String, Object>) root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read template " + template, e);
    }
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
