package dev.postbackrelay.doctor;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionQuery;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.CustomerStore;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.DeliveryQueue;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.postback.ConversionQueue;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.SignatureReplayStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stores and queues of one dry run: each reads through to the real one and writes nowhere. A
 * write the services would make is kept in memory instead, so that what the run reads afterwards
 * (the conversion a status change moved) is what the real run would read. Every write method of
 * every port is overridden here; a port that gains one does not compile until it is decided.
 */
final class DryStores {

  private DryStores() {}

  /** Conversions: reads see this run's own writes over the real store; nothing reaches the store. */
  static final class Conversions implements ConversionStore {

    private final ConversionStore real;
    private final Map<String, Conversion> written = new LinkedHashMap<>();

    Conversions(ConversionStore real) {
      this.real = real;
    }

    /** The conversions this run would have created or moved, in order. */
    List<Conversion> written() {
      return List.copyOf(written.values());
    }

    @Override
    public Optional<Conversion> createIfAbsent(String key, Conversion conversion) {
      Optional<Conversion> existing = find(conversion.clickId(), key);
      if (existing.isEmpty()) {
        written.put(id(conversion.clickId(), key), conversion);
      }
      return existing;
    }

    @Override
    public boolean transition(String clickId, String key, StatusChange change) {
      Optional<Conversion> current = find(clickId, key);
      if (current.isEmpty() || current.get().status() != change.from()) {
        return false;
      }
      List<StatusChange> history = new ArrayList<>(current.get().history());
      history.add(change);
      written.put(id(clickId, key), current.get().withStatus(change.to()).withHistory(history,
          current.get().deliveries()));
      return true;
    }

    /** Never claims: a dry run calls no one. */
    @Override
    public boolean claim(String clickId, String key, String target, ConversionStatus status, Instant until,
        Instant now) {
      return false;
    }

    @Override
    public void recordDelivery(String clickId, String key, DeliveryAttempt attempt) {
      throw new UnsupportedOperationException("a dry run records no delivery");
    }

    @Override
    public Optional<Conversion> find(String clickId, String key) {
      Conversion own = written.get(id(clickId, key));
      return own != null ? Optional.of(own) : real.find(clickId, key);
    }

    @Override
    public List<Conversion> findByClick(String clickId) {
      return real.findByClick(clickId);
    }

    @Override
    public Page<Conversion> list(ConversionQuery query) {
      return real.list(query);
    }

    private static String id(String clickId, String key) {
      return clickId + "/" + key;
    }
  }

  /** Customers: a first binding is only noted. */
  static final class Customers implements CustomerStore {

    private final CustomerStore real;

    Customers(CustomerStore real) {
      this.real = real;
    }

    @Override
    public void bind(String campaignId, String customerId, String clickId) {
      // the real run binds the first time; the dry run leaves the binding to it
    }

    @Override
    public Optional<String> boundClick(String campaignId, String customerId) {
      return real.boundClick(campaignId, customerId);
    }
  }

  /** Signature replays: a claim asks whether the real claim would win, and claims nothing. */
  static final class Replays implements SignatureReplayStore {

    private final SignatureReplayStore real;

    Replays(SignatureReplayStore real) {
      this.real = real;
    }

    @Override
    public boolean claim(String key, Instant expiresAt, Instant now) {
      return !real.isClaimed(key, now);
    }

    @Override
    public boolean isClaimed(String key, Instant now) {
      return real.isClaimed(key, now);
    }

    @Override
    public void release(String key) {
      // nothing was claimed
    }
  }

  /** The conversion queue, kept in memory: the postback the edge would queue. */
  static final class Queued implements ConversionQueue {

    Postback postback;

    @Override
    public void send(Postback p) {
      postback = p;
    }
  }

  /** The delivery queue, kept in memory: the deliveries attribution would queue. */
  static final class Deliveries implements DeliveryQueue {

    final List<Delivery> queued = new ArrayList<>();

    @Override
    public void send(List<Delivery> deliveries) {
      queued.addAll(deliveries);
    }
  }

  /** The postback log, kept in memory: the decision attribution would record. */
  static final class Log implements PostbackLog {

    PostbackRecord recorded;

    @Override
    public void record(PostbackRecord entry) {
      recorded = entry;
    }

    @Override
    public Optional<PostbackRecord> find(String postbackId) {
      return Optional.empty();
    }

    @Override
    public List<PostbackRecord> findByClick(String clickId) {
      return List.of();
    }
  }
}
