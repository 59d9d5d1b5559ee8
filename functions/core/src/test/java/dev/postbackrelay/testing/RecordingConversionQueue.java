package dev.postbackrelay.testing;

import dev.postbackrelay.common.QueueUnavailableException;
import dev.postbackrelay.postback.ConversionQueue;
import dev.postbackrelay.postback.Postback;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every postback sent, in order. {@link #goDown()} makes it refuse sends with
 * {@link QueueUnavailableException}, as a queue that does not confirm would; nothing is recorded then.
 */
public final class RecordingConversionQueue implements ConversionQueue {

  private final List<Postback> sent = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  @Override
  public void send(Postback postback) {
    if (down) {
      throw new QueueUnavailableException("queue unavailable (test)", null);
    }
    sent.add(postback);
  }

  public RecordingConversionQueue goDown() {
    down = true;
    return this;
  }

  public RecordingConversionQueue comeBack() {
    down = false;
    return this;
  }

  /** Every postback sent so far, oldest first (a snapshot). */
  public List<Postback> sent() {
    return List.copyOf(sent);
  }

  /** The postbacks sent so far, removed from the record: what a consumer would receive next. */
  public List<Postback> drain() {
    List<Postback> batch = new ArrayList<>(sent);
    sent.removeAll(batch);
    return batch;
  }
}
