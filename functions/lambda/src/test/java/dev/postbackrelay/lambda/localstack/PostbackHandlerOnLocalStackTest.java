package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.PostbackHandlerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link PostbackHandlerTest} against LocalStack; skipped where no Docker engine runs. */
@QuarkusTest
@TestProfile(LocalStackProfiles.Postback.class)
@Testcontainers(disabledWithoutDocker = true)
class PostbackHandlerOnLocalStackTest extends PostbackHandlerTest {}
