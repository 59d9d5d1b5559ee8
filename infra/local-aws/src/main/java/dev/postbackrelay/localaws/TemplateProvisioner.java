package dev.postbackrelay.localaws;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the DynamoDB tables and SQS queues that {@code template.yaml} declares, under their
 * logical ids, so that the local stand-ins hold exactly the resources a deployment would: key
 * schemas, secondary indexes, visibility timeouts and dead-letter redrive come from the template,
 * never from a second description.
 */
final class TemplateProvisioner {

  static final String ACCOUNT = "000000000000";

  private final DynamoDbClient dynamo;
  private final SqsClient sqs;
  private final String sqsEndpoint;

  TemplateProvisioner(String dynamoEndpoint, String sqsEndpoint) {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    this.dynamo = DynamoDbClient.builder().endpointOverride(URI.create(dynamoEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    this.sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    this.sqsEndpoint = sqsEndpoint;
  }

  /** Reads the template's Resources and creates every table and queue; returns names created. */
  List<String> provision(Path template) throws IOException {
    Map<String, Object> resources = resources(template);
    List<String> created = new ArrayList<>();
    // dead-letter queues first: a queue's RedrivePolicy names its target's ARN
    List<Map.Entry<String, Object>> queues = new ArrayList<>();
    for (var entry : resources.entrySet()) {
      Map<String, Object> resource = map(entry.getValue());
      String type = (String) resource.get("Type");
      if ("AWS::DynamoDB::Table".equals(type)) {
        createTable(entry.getKey(), map(resource.getOrDefault("Properties", Map.of())));
        created.add(entry.getKey());
      } else if ("AWS::SQS::Queue".equals(type)) {
        queues.add(entry);
      }
    }
    queues.sort((a, b) -> Boolean.compare(hasRedrive(a.getValue()), hasRedrive(b.getValue())));
    for (var entry : queues) {
      createQueue(entry.getKey(), map(map(entry.getValue()).getOrDefault("Properties", Map.of())));
      created.add(entry.getKey());
    }
    return created;
  }

  private static boolean hasRedrive(Object resource) {
    return map(map(resource).getOrDefault("Properties", Map.of())).containsKey("RedrivePolicy");
  }

  private void createTable(String name, Map<String, Object> props) {
    var request = CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(list(props.get("AttributeDefinitions")).stream().map(TemplateProvisioner::map)
            .map(a -> AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                .attributeType((String) a.get("AttributeType")).build()).toList())
        .keySchema(keySchema(props.get("KeySchema")));
    List<GlobalSecondaryIndex> indexes = list(props.getOrDefault("GlobalSecondaryIndexes", List.of())).stream()
        .map(TemplateProvisioner::map)
        .map(i -> GlobalSecondaryIndex.builder().indexName((String) i.get("IndexName"))
            .keySchema(keySchema(i.get("KeySchema")))
            .projection(Projection.builder().projectionType(ProjectionType.fromValue(
                (String) map(i.getOrDefault("Projection", Map.of("ProjectionType", "ALL"))).get("ProjectionType"))).build())
            .build())
        .toList();
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(indexes);
    }
    try {
      dynamo.createTable(request.build());
    } catch (ResourceInUseException alreadyThere) {
      // a table kept on disk from an earlier run
    }
  }

  private static List<KeySchemaElement> keySchema(Object schema) {
    return list(schema).stream().map(TemplateProvisioner::map)
        .map(k -> KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
            .keyType((String) k.get("KeyType")).build())
        .toList();
  }

  private void createQueue(String name, Map<String, Object> props) {
    Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
    if (props.get("VisibilityTimeout") != null) {
      attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(props.get("VisibilityTimeout")));
    }
    if (props.get("DelaySeconds") != null) {
      attributes.put(QueueAttributeName.DELAY_SECONDS, String.valueOf(props.get("DelaySeconds")));
    }
    if (props.get("RedrivePolicy") != null) {
      Map<String, Object> redrive = map(props.get("RedrivePolicy"));
      String target = ((Ref) redrive.get("deadLetterTargetArn")).logicalId();
      attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:" + ACCOUNT
          + ":" + target + "\",\"maxReceiveCount\":\"" + redrive.get("maxReceiveCount") + "\"}");
    }
    sqs.createQueue(b -> b.queueName(name).attributes(attributes));
  }

  String queueUrl(String logicalId) {
    return sqsEndpoint + "/" + ACCOUNT + "/" + logicalId;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> resources(Path template) throws IOException {
    try (Reader reader = Files.newBufferedReader(template)) {
      Map<String, Object> root = (Map<String, Object>) cloudFormationYaml().load(reader);
      return map(root.get("Resources"));
    }
  }

  /** A reference to another resource, from {@code !Ref X} or {@code !GetAtt X.Attr}. */
  record Ref(String logicalId, String attribute) {}

  /** SnakeYAML that understands CloudFormation's short-form tags. */
  static Yaml cloudFormationYaml() {
    class CfnConstructor extends SafeConstructor {
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
            String value = ((ScalarNode) node).getValue();
            int dot = value.indexOf('.');
            return new Ref(value.substring(0, dot), value.substring(dot + 1));
          }
        });
        for (String fn : List.of("!Sub", "!If", "!Equals", "!Not", "!And", "!Or", "!Join", "!Select", "!Split",
            "!FindInMap", "!ImportValue", "!Condition", "!Base64", "!GetAZs", "!Cidr")) {
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
    return new Yaml(new CfnConstructor());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
