package dev.postbackrelay.localruntime.template;

import dev.postbackrelay.localaws.client.LocalAwsEndpoints;
import dev.postbackrelay.templateyaml.Ref;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template values the way a deployment would, but onto the local stand-ins: tables are
 * named by their logical ids, queues live at {@code <sqs endpoint>/000000000000/<logical id>},
 * ARNs use account {@code 000000000000} in {@code us-east-1}. A {@code !Ref} to a parameter resolves
 * to its {@code Default}, or to {@code null} (the variable is left out) when it has none.
 */
public final class LocalValues implements SamTemplate.ValueResolver {

  public static final String ACCOUNT = LocalAwsEndpoints.ACCOUNT;
  public static final String REGION = "us-east-1";

  private static final System.Logger LOG = System.getLogger(LocalValues.class.getName());
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

  private final SamTemplate template;
  private final String sqsEndpoint;

  public LocalValues(SamTemplate template, String sqsEndpoint) {
    this.template = template;
    this.sqsEndpoint = sqsEndpoint;
  }

  /** The local URL of a queue. */
  public String queueUrl(String logicalId) {
    return sqsEndpoint + "/" + ACCOUNT + "/" + logicalId;
  }

  /** The ARN of a queue. */
  public static String queueArn(String logicalId) {
    return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + logicalId;
  }

  @Override
  public String resolve(String variable, Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value == null ? null : String.valueOf(value);
    }
    Ref ref = Ref.of(value).orElse(null);
    if (ref != null) {
      return ref.attribute() == null ? ref(variable, ref.logicalId()) : attribute(ref);
    }
    if (value instanceof Map<?, ?> fn && fn.size() == 1 && fn.containsKey("Fn::Sub")) {
      return sub(variable, fn.get("Fn::Sub"));
    }
    LOG.log(System.Logger.Level.WARNING, "{0}: intrinsic {1} is not supported locally; variable left unset",
        variable, value);
    return null;
  }

  private String ref(String variable, String id) {
    switch (id) {
      case "AWS::Region": return REGION;
      case "AWS::AccountId": return ACCOUNT;
      case "AWS::StackName": return "local";
      case "AWS::Partition": return "aws";
      case "AWS::URLSuffix": return "amazonaws.com";
      default: break;
    }
    Map<String, Object> parameter = template.parameter(id);
    if (parameter != null) {
      return parameter.get("Default") == null ? null : String.valueOf(parameter.get("Default"));
    }
    String type = template.resourceType(id);
    if (type == null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: !Ref {1} has no local value; variable left unset", variable, id);
      return null;
    }
    return "AWS::SQS::Queue".equals(type) ? queueUrl(id) : id;
  }

  private String attribute(Ref ref) {
    String id = ref.logicalId();
    String type = String.valueOf(template.resourceType(id));
    return switch (type + "." + ref.attribute()) {
      case "AWS::SQS::Queue.Arn" -> queueArn(id);
      case "AWS::SQS::Queue.QueueName", "AWS::DynamoDB::Table.TableName" -> id;
      case "AWS::SQS::Queue.QueueUrl" -> queueUrl(id);
      case "AWS::DynamoDB::Table.Arn" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id;
      case "AWS::Serverless::Function.Arn" -> "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + id;
      default -> {
        LOG.log(System.Logger.Level.WARNING, "!GetAtt {0}.{1} has no local value; variable left unset", id,
            ref.attribute());
        yield null;
      }
    };
  }

  private String sub(String variable, Object argument) {
    String text = argument instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(argument);
    Map<?, ?> names = argument instanceof List<?> l && l.size() > 1 ? (Map<?, ?>) l.get(1) : Map.of();
    Matcher m = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (names.containsKey(name)) {
        value = resolve(variable, names.get(name));
      } else {
        int dot = name.indexOf('.');
        value = dot < 0 ? ref(variable, name) : attribute(new Ref(name.substring(0, dot), name.substring(dot + 1)));
      }
      if (value == null) {
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
