package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.ConversionConsumerHandlerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link ConversionConsumerHandlerTest} against LocalStack; skipped where no Docker engine runs. */
@QuarkusTest
@TestProfile(LocalStackProfiles.Consumer.class)
@Testcontainers(disabledWithoutDocker = true)
class ConversionConsumerHandlerOnLocalStackTest extends ConversionConsumerHandlerTest {}
