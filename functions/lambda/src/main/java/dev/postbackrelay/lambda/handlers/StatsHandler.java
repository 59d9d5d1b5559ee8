package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.lambda.store.StreamEvents;
import dev.postbackrelay.lambda.store.StreamShards;
import dev.postbackrelay.stats.StatsService;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/**
 * The tracking table's stream consumer: adds a batch to the stats items and reports the first record
 * not applied everywhere, from which the stream delivers again (items that applied later records skip
 * them then). A failure of the whole batch is an error, which the event source bisects and retries.
 */
@Named("stats")
public class StatsHandler implements RequestHandler<JsonNode, StreamsEventResponse> {

  @Inject
  StatsService stats;
  @Inject
  StreamShards shards;

  @Override
  public StreamsEventResponse handleRequest(JsonNode event, Context context) {
    List<StreamEvents.Record> records = StreamEvents.read(event);
    if (records.isEmpty()) {
      return new StreamsEventResponse(List.of());
    }
    StreamEvents.Record first = records.get(0);
    String lane = shards.shardOf(first.eventSourceArn(), first.change().seq(), first.eventId());
    return new StreamsEventResponse(stats.apply(lane, records.stream().map(StreamEvents.Record::change).toList())
        .map(seq -> List.of(new StreamsEventResponse.BatchItemFailure(seq.toString()))).orElse(List.of()));
  }
}
