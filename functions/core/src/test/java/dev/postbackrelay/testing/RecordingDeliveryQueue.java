package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryQueue;
import dev.postbackrelay.common.QueueUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every delivery sent, in order. {@link #goDown()} makes it refuse sends with
 * {@link QueueUnavailableException}, as a queue that does not confirm would; nothing of that
 * batch is recorded then.
 */
public final class RecordingDeliveryQueue implements DeliveryQueue {

  private final List<Delivery> sent = new ArrayList<>();
  private volatile boolean down;

  @Override
  public synchronized void send(List<Delivery> deliveries) {
    if (down) {
      throw new QueueUnavailableException("delivery queue unavailable (test)", null);
    }
    sent.addAll(deliveries);
  }

  public RecordingDeliveryQueue goDown() {
    down = true;
    return this;
  }

  public RecordingDeliveryQueue comeBack() {
    down = false;
    return this;
  }

  /** Every delivery sent and not yet drained, oldest first (a snapshot). */
  public synchronized List<Delivery> sent() {
    return List.copyOf(sent);
  }

  /** The deliveries sent so far, removed from the record: what the delivery consumer would receive next. */
  public synchronized List<Delivery> drain() {
    List<Delivery> batch = new ArrayList<>(sent);
    sent.clear();
    return batch;
  }
}
