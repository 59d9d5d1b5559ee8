package dev.postbackrelay.localruntime.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.localruntime.runtime.FunctionInvoker;
import dev.postbackrelay.localruntime.template.StreamEventSource;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda's DynamoDB Streams event-source mapping for one table's stream and one function, on
 * DynamoDB Local: reads every shard from its start (a child after its parent has ended), gathers up
 * to {@code BatchSize} records (waiting at most {@code MaximumBatchingWindowInSeconds}), invokes the
 * function with the DynamoDB event, and moves on only when the batch succeeded. A reported
 * {@code batchItemFailures} record and everything after it are delivered again. A failed invocation
 * is retried, split in halves first when {@code BisectBatchOnFunctionError} is set (each half then
 * has its own retries); past {@code MaximumRetryAttempts} the batch is given up and described on the
 * on-failure queue, as Lambda does.
 */
public final class StreamEventSourcePoller implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(StreamEventSourcePoller.class.getName());
  private static final Duration IDLE = Duration.ofMillis(200);

  private final DynamoDbStreamsClient streams;
  private final SqsClient sqs;
  private final String streamArn;
  private final String onFailureQueueUrl;
  private final StreamEventSource source;
  private final FunctionInvoker function;
  private final ObjectMapper json;
  private final Thread thread;
  private final Map<String, String> iterators = new LinkedHashMap<>();
  private final Set<String> finished = new HashSet<>();
  private final Map<String, String> delivered = new LinkedHashMap<>();
  private volatile boolean running = true;

  public StreamEventSourcePoller(DynamoDbStreamsClient streams, SqsClient sqs, String streamArn,
      String onFailureQueueUrl, StreamEventSource source, FunctionInvoker function, ObjectMapper json) {
    this.streams = streams;
    this.sqs = sqs;
    this.streamArn = streamArn;
    this.onFailureQueueUrl = onFailureQueueUrl;
    this.source = source;
    this.function = function;
    this.json = json;
    this.thread = new Thread(this::run, "stream-poller-" + source.tableLogicalId());
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public void stop(Duration wait) {
    running = false;
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(2));
  }

  private void run() {
    while (running) {
      try {
        boolean any = false;
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
          if (finished.contains(shard.shardId())
              || shard.parentShardId() != null && !finished.contains(shard.parentShardId())
                  && iterators.containsKey(shard.parentShardId())) {
            continue;
          }
          any |= poll(shard.shardId());
        }
        if (!any) {
          Thread.sleep(IDLE.toMillis());
        }
      } catch (SdkException e) {
        if (running) {
          LOG.log(System.Logger.Level.WARNING, "{0} stream: read failed ({1}); retrying", source.tableLogicalId(),
              e.getMessage());
          sleep(Duration.ofSeconds(1));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Reads one batch of {@code shardId} and delivers it; whether there was anything. */
  private boolean poll(String shardId) {
    try {
      return read(shardId);
    } catch (TrimmedDataAccessException | ExpiredIteratorException stale) {
      // DynamoDB Local refuses a trim-horizon iterator of a shard that was empty when it was made: a new
      // one, after the last record delivered, reads on
      iterators.remove(shardId);
      return false;
    }
  }

  private boolean read(String shardId) {
    String iterator = iterators.computeIfAbsent(shardId, id -> streams.getShardIterator(b -> {
      b.streamArn(streamArn).shardId(id);
      String last = delivered.get(id);
      if (last == null) {
        b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
      } else {
        b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(last);
      }
    }).shardIterator());
    List<Record> batch = new ArrayList<>();
    long windowEnd = System.currentTimeMillis() + source.maximumBatchingWindowSeconds() * 1000L;
    while (iterator != null && batch.size() < source.batchSize() && running) {
      String from = iterator;
      var response = streams.getRecords(b -> b.shardIterator(from).limit(source.batchSize() - batch.size()));
      batch.addAll(response.records());
      iterator = response.nextShardIterator();
      if (batch.isEmpty() || System.currentTimeMillis() >= windowEnd) {
        break;
      }
      if (response.records().isEmpty()) {
        sleep(Duration.ofMillis(100));
      }
    }
    if (iterator == null) {
      finished.add(shardId);
    } else {
      iterators.put(shardId, iterator);
    }
    if (!batch.isEmpty()) {
      deliver(shardId, batch);
      delivered.put(shardId, batch.get(batch.size() - 1).dynamodb().sequenceNumber());
    }
    return !batch.isEmpty();
  }

  /** Delivers {@code records} until each is done or given up, in order. */
  private void deliver(String shardId, List<Record> records) {
    Deque<List<Record>> pending = new ArrayDeque<>();
    pending.add(records);
    Map<List<Record>, Integer> attempts = new LinkedHashMap<>();
    while (!pending.isEmpty() && running) {
      List<Record> batch = pending.peekFirst();
      String failedSeq;
      try {
        failedSeq = failedRecord(function.invoke(json.writeValueAsBytes(event(batch))));
      } catch (IOException | RuntimeException e) {
        int tries = attempts.merge(batch, 1, Integer::sum);
        LOG.log(System.Logger.Level.WARNING, "{0} stream: invocation with {1} record(s) failed (attempt {2}): {3}",
            source.tableLogicalId(), batch.size(), tries, e.getMessage());
        pending.removeFirst();
        if (source.maximumRetryAttempts() >= 0 && tries > source.maximumRetryAttempts()) {
          giveUp(shardId, batch, e.getMessage());
        } else if (source.bisectBatchOnFunctionError() && batch.size() > 1) {
          pending.addFirst(new ArrayList<>(batch.subList(batch.size() / 2, batch.size())));
          pending.addFirst(new ArrayList<>(batch.subList(0, batch.size() / 2)));
        } else {
          pending.addFirst(batch);
        }
        continue;
      }
      pending.removeFirst();
      if (failedSeq != null && source.reportBatchItemFailures()) {
        int at = indexOf(batch, failedSeq);
        if (at >= 0) {
          int tries = attempts.merge(batch, 1, Integer::sum);
          List<Record> rest = new ArrayList<>(batch.subList(at, batch.size()));
          if (source.maximumRetryAttempts() >= 0 && tries > source.maximumRetryAttempts()) {
            giveUp(shardId, rest, "batch item failure " + failedSeq);
          } else {
            attempts.put(rest, tries);
            pending.addFirst(rest);
          }
        }
      }
    }
  }

  private static int indexOf(List<Record> batch, String seq) {
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).dynamodb().sequenceNumber().equals(seq)) {
        return i;
      }
    }
    return -1;
  }

  private String failedRecord(byte[] payload) throws IOException {
    if (payload == null || payload.length == 0) {
      return null;
    }
    JsonNode failures = json.readTree(payload).path("batchItemFailures");
    String first = null;
    for (JsonNode f : failures) {
      String id = f.path("itemIdentifier").asText(null);
      if (id == null || id.isEmpty()) {
        throw new IOException("a batch item failure without itemIdentifier fails the whole batch");
      }
      first = first == null || new BigInteger(id).compareTo(new BigInteger(first)) < 0 ? id : first;
    }
    return first;
  }

  private void giveUp(String shardId, List<Record> batch, String reason) {
    LOG.log(System.Logger.Level.ERROR, "{0} stream: giving up {1} record(s) after the retries: {2}",
        source.tableLogicalId(), batch.size(), reason);
    if (onFailureQueueUrl == null) {
      return;
    }
    ObjectNode info = json.createObjectNode();
    info.putObject("requestContext").put("condition", "RetryAttemptsExhausted").put("reason", reason);
    info.putObject("DDBStreamBatchInfo").put("shardId", shardId).put("streamArn", streamArn)
        .put("startSequenceNumber", batch.get(0).dynamodb().sequenceNumber())
        .put("endSequenceNumber", batch.get(batch.size() - 1).dynamodb().sequenceNumber()).put("batchSize", batch.size());
    sqs.sendMessage(b -> b.queueUrl(onFailureQueueUrl).messageBody(info.toString()));
  }

  /** Lambda's DynamoDB event for {@code batch}. */
  ObjectNode event(List<Record> batch) {
    ObjectNode event = json.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Record r : batch) {
      ObjectNode n = records.addObject();
      n.put("eventID", r.eventID()).put("eventName", r.eventNameAsString()).put("eventVersion", "1.1")
          .put("eventSource", "aws:dynamodb").put("awsRegion", "us-east-1").put("eventSourceARN", streamArn);
      if (r.userIdentity() != null) {
        n.putObject("userIdentity").put("type", r.userIdentity().type())
            .put("principalId", r.userIdentity().principalId());
      }
      var d = r.dynamodb();
      ObjectNode ddb = n.putObject("dynamodb");
      if (d.approximateCreationDateTime() != null) {
        ddb.put("ApproximateCreationDateTime", d.approximateCreationDateTime().getEpochSecond());
      }
      ddb.set("Keys", image(d.keys()));
      if (d.hasNewImage()) {
        ddb.set("NewImage", image(d.newImage()));
      }
      if (d.hasOldImage()) {
        ddb.set("OldImage", image(d.oldImage()));
      }
      ddb.put("SequenceNumber", d.sequenceNumber()).put("SizeBytes", d.sizeBytes())
          .put("StreamViewType", d.streamViewTypeAsString());
    }
    return event;
  }

  private ObjectNode image(Map<String, AttributeValue> item) {
    ObjectNode n = json.createObjectNode();
    item.forEach((k, v) -> n.set(k, value(v)));
    return n;
  }

  private ObjectNode value(AttributeValue v) {
    ObjectNode n = json.createObjectNode();
    switch (v.type()) {
      case S -> n.put("S", v.s());
      case N -> n.put("N", v.n());
      case BOOL -> n.put("BOOL", v.bool());
      case NUL -> n.put("NULL", true);
      case B -> n.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
      case M -> n.set("M", image(v.m()));
      case L -> {
        ArrayNode l = n.putArray("L");
        v.l().forEach(x -> l.add(value(x)));
      }
      case SS -> {
        ArrayNode l = n.putArray("SS");
        v.ss().forEach(l::add);
      }
      case NS -> {
        ArrayNode l = n.putArray("NS");
        v.ns().forEach(l::add);
      }
      default -> n.put("NULL", true);
    }
    return n;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
