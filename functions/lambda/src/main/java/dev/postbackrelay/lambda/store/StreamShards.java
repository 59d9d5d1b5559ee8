package dev.postbackrelay.lambda.store;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Finds the stream shard a batch came from (Lambda's DynamoDB event does not name it; each batch is
 * of one shard). From the stream's shards (DescribeStream, kept until a sequence number falls outside
 * them), those whose sequence-number range holds the batch's first record; when several do, the one
 * that returns that record (GetShardIterator at its sequence number, then GetRecords of one).
 */
public final class StreamShards {

  private final DynamoDbStreamsClient streams;
  private List<Shard> shards = List.of();
  private String shardsOf;

  public StreamShards(DynamoDbStreamsClient streams) {
    this.streams = streams;
  }

  /** The id of the shard of {@code streamArn} that holds record {@code eventId} at {@code seq}. */
  public synchronized String shardOf(String streamArn, BigInteger seq, String eventId) {
    List<Shard> candidates = candidates(streamArn, seq);
    if (candidates.isEmpty()) {
      shards = describe(streamArn);
      shardsOf = streamArn;
      candidates = candidates(streamArn, seq);
    }
    if (candidates.size() == 1) {
      return candidates.get(0).shardId();
    }
    for (Shard shard : candidates) {
      try {
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(seq.toString())).shardIterator();
        GetRecordsResponse records = streams.getRecords(b -> b.shardIterator(iterator).limit(1));
        if (!records.records().isEmpty() && eventId.equals(records.records().get(0).eventID())) {
          return shard.shardId();
        }
      } catch (RuntimeException notThere) {
        // not this shard's record
      }
    }
    throw new IllegalStateException("no shard of " + streamArn + " holds sequence number " + seq);
  }

  private List<Shard> candidates(String streamArn, BigInteger seq) {
    if (!streamArn.equals(shardsOf)) {
      return List.of();
    }
    return shards.stream().filter(s -> {
      var range = s.sequenceNumberRange();
      boolean afterStart = range.startingSequenceNumber() == null
          || new BigInteger(range.startingSequenceNumber()).compareTo(seq) <= 0;
      boolean beforeEnd = range.endingSequenceNumber() == null
          || new BigInteger(range.endingSequenceNumber()).compareTo(seq) >= 0;
      return afterStart && beforeEnd;
    }).toList();
  }

  private List<Shard> describe(String streamArn) {
    List<Shard> all = new ArrayList<>();
    String start = null;
    do {
      String from = start;
      var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
          .streamDescription();
      all.addAll(description.shards());
      start = description.lastEvaluatedShardId();
    } while (start != null);
    return all;
  }
}
