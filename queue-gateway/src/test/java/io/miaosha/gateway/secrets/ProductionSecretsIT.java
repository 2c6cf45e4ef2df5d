package io.miaosha.gateway.secrets;

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
 * The packaged queue-gateway (production profile) refuses to start on each committed secret, or
 * without one, and on a lottery key that is the admission secret; with fresh secrets it starts.
 */
class ProductionSecretsIT {

    private static final Path JAR = Path.of(System.getProperty("gateway.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final FreshSecrets SECRETS = FreshSecrets.generate();

    @Test
    void freshSecretsStart() {
        ServiceProcess.Outcome outcome = start(Map.of());
        assertTrue(outcome.started(), outcome.output());
    }

    @Test
    void theCommittedDevVerifyKeyIsRefused() {
        assertRefused(Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "dev-keys/publicKey.pem"),
                "mp.jwt.verify.publickey.location (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION) is the dev key pair committed");
    }

    @Test
    void noVerifyKeyIsRefused() {
        assertRefused(without("MP_JWT_VERIFY_PUBLICKEY_LOCATION"),
                "no session-token verify key: set mp.jwt.verify.publickey.location (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION)");
    }

    @Test
    void theCommittedAdmissionSecretIsRefused() {
        assertRefused(Map.of("MIAOSHA_ADMISSION_SECRET", "local-dev-admission-secret-change-me-in-production"),
                "miaosha.admission.secret (environment variable MIAOSHA_ADMISSION_SECRET) is the default committed");
    }

    @Test
    void noLotteryKeyIsRefused() {
        assertRefused(without("MIAOSHA_LOTTERY_KEY"),
                "miaosha.lottery.key (environment variable MIAOSHA_LOTTERY_KEY) is not set");
    }

    @Test
    void theCommittedLotteryKeyIsRefused() {
        assertRefused(Map.of("MIAOSHA_LOTTERY_KEY", "local-dev-lottery-key-change-me-in-production"),
                "miaosha.lottery.key (environment variable MIAOSHA_LOTTERY_KEY) is the default committed");
    }

    @Test
    void aLotteryKeyThatIsTheAdmissionSecretIsRefused() {
        assertRefused(Map.of("MIAOSHA_LOTTERY_KEY", SECRETS.admissionSecret()),
                "miaosha.lottery.key (environment variable MIAOSHA_LOTTERY_KEY) equals miaosha.admission.secret");
    }

    @Test
    void noProofOfWorkKeyIsRefused() {
        assertRefused(without("MIAOSHA_POW_KEY"), "miaosha.pow.key (environment variable MIAOSHA_POW_KEY) is not set");
    }

    @Test
    void theCommittedProofOfWorkKeyIsRefused() {
        assertRefused(Map.of("MIAOSHA_POW_KEY", "local-dev-pow-key-change-me-in-production"),
                "miaosha.pow.key (environment variable MIAOSHA_POW_KEY) is the default committed");
    }

    @Test
    void aProofOfWorkKeyThatIsTheAdmissionSecretIsRefused() {
        assertRefused(Map.of("MIAOSHA_POW_KEY", SECRETS.admissionSecret()),
                "miaosha.pow.key (environment variable MIAOSHA_POW_KEY) equals miaosha.admission.secret");
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

    private static ServiceProcess.Outcome start(Map<String, String> change) {
        Map<String, String> env = new HashMap<>(SECRETS.environment());
        env.put("MIAOSHA_REDIS_URL", TestStores.redisUrl(TestStores.REDIS_DB));
        env.put("MIAOSHA_QUEUE_INSTANCE_ID", "secrets-it");
        env.putAll(change);
        return ServiceProcess.jar(JAR).heap("256m").jvmArg("-XX:TieredStopAtLevel=1").environment(env)
                .attempt(Duration.ofSeconds(60));
    }
}
