package io.miaosha.api.secrets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.FreshSecrets;
import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged flash-sale-api (production profile) refuses to start on each committed secret, or
 * without one, and on a storefront address that is missing, plain http or local, saying which setting
 * to change; with fresh secrets and a public https storefront it starts.
 */
class ProductionSecretsIT {

    private static final Path JAR = Path.of(System.getProperty("miaosha.it.api-jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Path DEV_KEYS = Path.of("src/main/resources/dev-keys").toAbsolutePath();
    private static final FreshSecrets SECRETS = FreshSecrets.generate();

    @Test
    void freshSecretsStart() {
        ServiceProcess.Outcome outcome = start(Map.of());
        assertTrue(outcome.started(), outcome.output());
    }

    @Test
    void theCommittedDevSigningKeyIsRefused() {
        assertRefused(Map.of("SMALLRYE_JWT_SIGN_KEY_LOCATION", DEV_KEYS.resolve("privateKey.pem").toString()),
                "smallrye.jwt.sign.key.location (environment variable SMALLRYE_JWT_SIGN_KEY_LOCATION) is the dev key pair committed");
    }

    @Test
    void theCommittedDevVerifyKeyOnTheClassPathIsRefused() {
        assertRefused(Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "dev-keys/publicKey.pem"),
                "mp.jwt.verify.publickey.location (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION) is the dev key pair committed");
    }

    @Test
    void noSessionKeysAreRefused() {
        assertRefused(without("SMALLRYE_JWT_SIGN_KEY_LOCATION", "MP_JWT_VERIFY_PUBLICKEY_LOCATION"),
                "no session-token verify key: set mp.jwt.verify.publickey.location (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION)");
    }

    @Test
    void theCommittedAdmissionSecretIsRefused() {
        assertRefused(Map.of("MIAOSHA_ADMISSION_SECRET", "local-dev-admission-secret-change-me-in-production"),
                "miaosha.admission.secret (environment variable MIAOSHA_ADMISSION_SECRET) is the default committed");
    }

    @Test
    void anAdmissionSecretShorterThan32BytesIsRefused() {
        assertRefused(Map.of("MIAOSHA_ADMISSION_SECRET", "only-31-bytes-long-xxxxxxxxxxxx"),
                "miaosha.admission.secret (environment variable MIAOSHA_ADMISSION_SECRET) is shorter than 32 bytes");
    }

    @Test
    void noArmingKeyWhileTheArmingApiIsOnIsRefused() {
        assertRefused(Map.of("MIAOSHA_ARMING_KEY", ""),
                "miaosha.arming.key (environment variable MIAOSHA_ARMING_KEY) is not set while miaosha.arming.api-enabled");
    }

    @Test
    void anArmingKeyThatIsTheAdmissionSecretIsRefused() {
        assertRefused(Map.of("MIAOSHA_ARMING_KEY", SECRETS.admissionSecret()),
                "miaosha.arming.key (environment variable MIAOSHA_ARMING_KEY) equals miaosha.admission.secret");
    }

    @Test
    void noArmingKeyStartsWithTheArmingApiOff() {
        ServiceProcess.Outcome outcome = start(Map.of("MIAOSHA_ARMING_KEY", "", "MIAOSHA_ARMING_API_ENABLED", "false"));
        assertTrue(outcome.started(), outcome.output());
    }

    @Test
    void noStorefrontUrlIsRefused() {
        assertRefused(without("MIAOSHA_STOREFRONT_URL"),
                "miaosha.account.verification.storefront-url (environment variable MIAOSHA_STOREFRONT_URL) is not set;"
                        + " verification emails link to it. Set MIAOSHA_STOREFRONT_URL to the https address");
    }

    @Test
    void anEmptyStorefrontUrlIsRefused() {
        assertRefused(Map.of("MIAOSHA_STOREFRONT_URL", ""),
                "miaosha.account.verification.storefront-url (environment variable MIAOSHA_STOREFRONT_URL) is not set");
    }

    @Test
    void aPlainHttpStorefrontUrlIsRefused() {
        assertRefused(Map.of("MIAOSHA_STOREFRONT_URL", "http://shop.example"),
                "MIAOSHA_STOREFRONT_URL) = http://shop.example is not an https URL");
    }

    @Test
    void aLocalStorefrontUrlIsRefused() {
        assertRefused(Map.of("MIAOSHA_STOREFRONT_URL", "https://localhost:8000"),
                "MIAOSHA_STOREFRONT_URL) = https://localhost:8000 names no public host");
        assertRefused(Map.of("MIAOSHA_STOREFRONT_URL", "https://127.0.0.1"),
                "MIAOSHA_STOREFRONT_URL) = https://127.0.0.1 names no public host");
    }

    /** The fresh secrets but for these variables, which are not set at all. */
    private static Map<String, String> without(String... names) {
        Map<String, String> change = new HashMap<>();
        for (String name : names) {
            change.put(name, null);
        }
        return change;
    }

    private static void assertRefused(Map<String, String> change, String expected) {
        ServiceProcess.Outcome outcome = start(change);
        assertFalse(outcome.started(), "started although " + change.keySet() + " is wrong:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(expected), "the output does not say '" + expected + "':\n" + outcome.output());
    }

    /** The test stores (database, Redis DB, vhost), no relay or demo data, fresh secrets with a change. */
    private static ServiceProcess.Outcome start(Map<String, String> change) {
        Map<String, String> env = new HashMap<>(SECRETS.environment());
        env.put("MIAOSHA_DB_NAME", TestStores.DB);
        env.put("MIAOSHA_REDIS_URL", TestStores.redisUrl(TestStores.REDIS_DB));
        env.put("RABBITMQ_VIRTUAL_HOST", TestStores.API_VHOST);
        env.put("MIAOSHA_RELAY_ENABLED", "false");
        env.put("MIAOSHA_DEMO_ENABLED", "false");
        env.put("MIAOSHA_ARMING_HORIZON", "PT0S");
        // A production start needs a real payment provider; this key is never used (nothing is paid).
        env.put("MIAOSHA_PAYMENT_PROVIDER", "stripe");
        env.put("MIAOSHA_STRIPE_API_KEY", "sk_test_neverUsedByTheseTests");
        // ... and the public address its verification emails link to (nothing is mailed here).
        env.put("MIAOSHA_STOREFRONT_URL", "https://shop.example");
        env.putAll(change);
        return ServiceProcess.jar(JAR).heap("256m").jvmArg("-XX:TieredStopAtLevel=1").environment(env)
                .attempt(Duration.ofSeconds(90));
    }
}
