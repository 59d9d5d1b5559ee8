package dev.postbackrelay.localaws;

import dev.postbackrelay.localaws.client.LocalAwsEndpoints;
import dev.postbackrelay.templateyaml.CloudFormationYaml;
import dev.postbackrelay.templateyaml.Ref;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the DynamoDB tables and SQS queues that {@code template.yaml} declares, under their
 * logical ids, so that the local stand-ins hold exactly the resources a deployment would: key
 * schemas, secondary indexes, streams, visibility timeouts and dead-letter redrive come from the template,
 * never from a second description.
 */
final class TemplateProvisioner {

  private final DynamoDbClient dynamo;
  private final SqsClient sqs;

  TemplateProvisioner(String dynamoEndpoint, String sqsEndpoint) {
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    this.dynamo = DynamoDbClient.builder().endpointOverride(URI.create(dynamoEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    this.sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** Reads the template's Resources and creates every table and queue; returns names created. */
  List<String> provision(Path template) {
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
            .projection(projection(map(i.getOrDefault("Projection", Map.of("ProjectionType", "ALL")))))
            .build())
        .toList();
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(indexes);
    }
    if (props.get("StreamSpecification") != null) {
      request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
          .streamViewType((String) map(props.get("StreamSpecification")).get("StreamViewType")).build());
    }
    try {
      dynamo.createTable(request.build());
    } catch (ResourceInUseException alreadyThere) {
      // a table kept on disk from an earlier run
    }
  }

  /** An index's projection as the template writes it, {@code NonKeyAttributes} included for {@code INCLUDE}. */
  private static Projection projection(Map<String, Object> p) {
    Projection.Builder projection = Projection.builder()
        .projectionType(ProjectionType.fromValue((String) p.get("ProjectionType")));
    if (p.get("NonKeyAttributes") != null) {
      projection.nonKeyAttributes(list(p.get("NonKeyAttributes")).stream().map(String::valueOf).toList());
    }
    return projection.build();
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
      String target = Ref.of(redrive.get("deadLetterTargetArn")).map(Ref::logicalId).orElseThrow(
          () -> new IllegalArgumentException(name + ": RedrivePolicy.deadLetterTargetArn must be !GetAtt <Queue>.Arn"));
      attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:" + LocalAwsEndpoints.ACCOUNT
          + ":" + target + "\",\"maxReceiveCount\":\"" + redrive.get("maxReceiveCount") + "\"}");
    }
    sqs.createQueue(b -> b.queueName(name).attributes(attributes));
  }

  private static Map<String, Object> resources(Path template) {
    return map(CloudFormationYaml.load(template).get("Resources"));
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
