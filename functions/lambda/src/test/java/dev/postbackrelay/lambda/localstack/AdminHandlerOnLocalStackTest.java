package dev.postbackrelay.lambda.localstack;

import dev.postbackrelay.lambda.AdminHandlerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/** {@link AdminHandlerTest} against LocalStack; skipped where no Docker engine runs. */
@QuarkusTest
@TestProfile(LocalStackProfiles.Admin.class)
@Testcontainers(disabledWithoutDocker = true)
class AdminHandlerOnLocalStackTest extends AdminHandlerTest {}
