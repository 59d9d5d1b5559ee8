package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.ClickHandlerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link ClickHandlerTest} against LocalStack; skipped where no Docker engine runs. */
@QuarkusTest
@TestProfile(LocalStackProfiles.Click.class)
@Testcontainers(disabledWithoutDocker = true)
class ClickHandlerOnLocalStackTest extends ClickHandlerTest {}
