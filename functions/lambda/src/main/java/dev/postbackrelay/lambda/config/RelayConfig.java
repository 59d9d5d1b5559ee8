package dev.postbackrelay.lambda.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All configuration, in one place. Every value arrives as an environment variable set by
 * {@code template.yaml} ({@code RELAY_CAMPAIGNS_TABLE} is {@code relay.campaigns-table}); table
 * and queue names are never written in code.
 */
@ConfigMapping(prefix = "relay")
public interface RelayConfig {

  /** The campaigns table. */
  String campaignsTable();

  /** The tracking table: clicks, conversions, the postback log, customer bindings. */
  String trackingTable();

  /** The conversion queue's URL. */
  String conversionQueueUrl();

  /** The conversion dead-letter queue's URL: postbacks no run could attribute, and messages that are no postback. */
  String conversionDeadLetterQueueUrl();

  /** The delivery queue's URL: one message per (conversion state, destination). */
  String deliveryQueueUrl();

  /** The delivery dead-letter queue's URL: deliveries given up on, replayable. */
  String deliveryDeadLetterQueueUrl();

  Delivery delivery();

  ClickId clickId();

  Outbound outbound();

  Admin admin();

  Aws aws();

  Log log();

  /** How long a container may serve a campaign from memory before reading it again. */
  @WithDefault("10s")
  Duration campaignCacheTtl();

  /** The stats table: report counters per campaign, affiliate, sub and half hour (StatsFunction, AdminFunction). */
  Optional<String> statsTable();

  Stats stats();

  /** Exchange rates per US dollar, {@code EUR=0.92,GBP=0.79}; empty means no conversion. */
  Optional<String> rates();

  /** The stats function. */
  interface Stats {
    /**
     * The local stack's crash test only (never set by {@code template.yaml}): the process halts after
     * this many stats writes, once, as a container killed mid-batch does; {@link #crashOnceMarker} notes
     * that it did, so the restarted process goes on.
     */
    Optional<Integer> crashAfterWrites();

    /** The file whose existence says the crash of {@link #crashAfterWrites} has happened. */
    Optional<String> crashOnceMarker();
  }

  /** Where the click-id MAC keys come from: exactly one of the two. */
  interface ClickId {
    /** The Secrets Manager secret (ARN or name) holding the keys (deployed). */
    Optional<String> keysSecret();

    /** The keys themselves, comma-separated base64url, newest first (local stack and tests). */
    Optional<String> keys();
  }

  /** Outbound HTTP (forwarding). */
  interface Outbound {
    /** Allow loopback targets: the local stack's tests stand in for partners on 127.0.0.1. */
    @WithDefault("false")
    boolean allowLoopback();

    @WithDefault("2s")
    Duration connectTimeout();

    @WithDefault("5s")
    Duration readTimeout();

    /** Internal CIDR blocks a deployment explicitly allows as destinations (e.g. a peered partner). */
    Optional<List<String>> allowedCidrs();

    /** The only ports destinations may use (e.g. {@code 80,443}); unset allows any port. */
    Optional<List<Integer>> allowedPorts();
  }

  /** Outbound delivery. */
  interface Delivery {
    /** Waits between attempts, e.g. {@code 1m,5m,30m,2h,24h}; after the last, the delivery is dead. */
    @WithDefault("1m,5m,30m,2h,24h")
    String retrySchedule();

    /**
     * The Secrets Manager name prefix that destination secret references ({@code secret:<name>})
     * must use; without it, references are refused.
     */
    Optional<String> secretsPrefix();

    /** Deliveries of one batch run side by side, up to this many at once. */
    @WithDefault("10")
    int parallelism();

    /**
     * How long a run's claim on a delivery holds off another run: longer than one attempt can take
     * (the outbound connect and read time-outs, checked at start). A run killed after calling out is
     * repeated once it expires, with the same Idempotency-Key, and logged as a possible repeat.
     */
    @WithDefault("60s")
    Duration claim();
  }

  /**
   * Every SDK call (DynamoDB, SQS, Secrets Manager) is bounded well inside the function's
   * {@code Timeout}, so a store or queue that hangs or refuses costs a bounded time and an honest
   * answer (503, or a batch item failure), never a function timeout. Defaults fit the HTTP
   * functions; the queue consumers set longer ones in {@code template.yaml}.
   */
  interface Aws {
    /** One SDK call, retries included. */
    @WithDefault("2500ms")
    Duration apiCallTimeout();

    /** One HTTP attempt of a call; a timed-out attempt is retried while the call's time lasts. */
    @WithDefault("1s")
    Duration apiCallAttemptTimeout();

    /** Establishing a connection to the service. */
    @WithDefault("500ms")
    Duration connectTimeout();

    /**
     * Waiting for bytes of an answer on an open connection: a backstop, as the attempt time-out
     * ends an ordinary call first; longer than the admin replay's one-second SQS long poll.
     */
    @WithDefault("2s")
    Duration socketTimeout();
  }

  /** The received-postbacks log. */
  interface Log {
    /** Refused postbacks recorded per minute, per campaign and per source address; past it they are counted. */
    @WithDefault("60")
    int refusedPerMinute();

    /** How long an accepted postback's log entries are kept. */
    @WithDefault("2160h") // 90 days
    Duration acceptedRetention();

    /** How long a refused postback's entry and the minute counters are kept. */
    @WithDefault("336h") // 14 days
    Duration refusedRetention();
  }

  /** Admin API authentication. */
  interface Admin {
    /**
     * When set, admin routes demand {@code Authorization: Bearer <token>} (local stack); when
     * absent they demand API Gateway's IAM authorizer context (deployed).
     */
    Optional<String> token();
  }
}
