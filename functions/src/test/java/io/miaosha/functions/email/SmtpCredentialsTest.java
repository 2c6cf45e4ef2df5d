package io.miaosha.functions.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.functions.testing.RecordingEndpoint;
import io.miaosha.functions.testing.RecordingEndpoint.Recorded;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The email function wired as the CDK deploys it: MIAOSHA_SMTP_CREDENTIALS_SECRET_ARN names the secret
 * of SES SMTP credentials, which Secrets Manager (a local recording endpoint) serves, and the mailer
 * logs in with what it holds. (EmailHandlerTest covers the local run, where no secret is named.)
 */
@QuarkusTest
@TestProfile(SmtpCredentialsTest.Profile.class)
class SmtpCredentialsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.mail.smtp-credentials-secret-arn", RecordingEndpoint.SMTP_SECRET_ARN);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RecordingEndpoint.class));
        }
    }

    @Test
    void theMailerLogsInWithTheUsernameAndPasswordOfTheNamedSecret() {
        var config = ConfigProvider.getConfig();
        assertEquals(RecordingEndpoint.SMTP_USERNAME, config.getValue("quarkus.mailer.username", String.class));
        assertEquals(RecordingEndpoint.SMTP_PASSWORD, config.getValue("quarkus.mailer.password", String.class));
    }

    @Test
    void theSecretIsReadOnceFromItsOwnRegionWithTheFunctionsRole() {
        ConfigProvider.getConfig().getValue("quarkus.mailer.password", String.class);

        assertEquals(1, RecordingEndpoint.SMTP_SECRET_READS.size(), "one read per cold start: " + RecordingEndpoint.SMTP_SECRET_READS);
        Recorded read = RecordingEndpoint.SMTP_SECRET_READS.get(0);
        assertEquals("secretsmanager.GetSecretValue", read.target());
        assertTrue(read.body().contains("\"SecretId\":\"" + RecordingEndpoint.SMTP_SECRET_ARN + "\""), read.body());
        assertTrue(read.authorization().contains("/us-east-1/secretsmanager/aws4_request"), read.authorization());
    }
}
