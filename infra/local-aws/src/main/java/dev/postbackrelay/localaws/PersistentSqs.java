package dev.postbackrelay.localaws;

import dev.postbackrelay.localaws.client.LocalAwsEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;

/**
 * ElasticMQ whose queues and messages live in an H2 database file under a folder, what its own
 * server calls {@code messages-storage}: every queue created, every message sent, received (its
 * receive count and next visibility), changed and deleted is written before ElasticMQ answers the
 * request, so a message acknowledged by {@code SendMessage} survives a stop of the process, and a
 * start on the same folder brings back every queue (attributes and redrive policy) and every
 * message not deleted, visible or hidden as it was.
 *
 * <p>The file is {@code <folder>/sqs.mv.db}, written without H2's write delay; a later
 * {@code CreateQueue} with the same attributes answers the existing queue, so provisioning from the
 * template again is harmless.
 */
final class PersistentSqs {

  private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

  private PersistentSqs() {}

  /** Starts ElasticMQ on {@code 127.0.0.1:port} with what {@code folder} holds already restored. */
  static SQSRestServer start(int port, Path folder) throws Exception {
    ActorSystem system = ActorSystem.create("elasticmq");
    String uri = "jdbc:h2:" + folder.toAbsolutePath().resolve("sqs") + ";WRITE_DELAY=0";
    SqlQueuePersistenceConfig storage = new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "sa", "", false);
    ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class, storage, List$.MODULE$.empty()),
        "queue-storage");
    ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(),
        StrictSQSLimits$.MODULE$, Option.apply(store)), "queue-manager");
    SQSRestServer server = SQSRestServerBuilder.withActorSystem(system).withQueueManagerActor(queues)
        .withQueueEventListener(store).withInterface("127.0.0.1").withPort(port)
        .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
        .withAWSRegion("us-east-1").withAWSAccountId(LocalAwsEndpoints.ACCOUNT).start();
    server.waitUntilStarted();
    FiniteDuration timeout = FiniteDuration.apply(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Object restored = Await.result(Patterns.ask(store, new QueueEvent.Restore(queues), RESTORE_TIMEOUT.toMillis()),
        timeout);
    if (restored instanceof scala.util.Left<?, ?> errors) {
      throw new IllegalStateException("cannot restore the queues kept in " + folder + ": " + errors.value());
    }
    return server;
  }
}
