package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.DeliveryHandlerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link DeliveryHandlerTest} against LocalStack; skipped where no Docker engine runs. */
@QuarkusTest
@TestProfile(LocalStackProfiles.Delivery.class)
@Testcontainers(disabledWithoutDocker = true)
class DeliveryHandlerOnLocalStackTest extends DeliveryHandlerTest {}
