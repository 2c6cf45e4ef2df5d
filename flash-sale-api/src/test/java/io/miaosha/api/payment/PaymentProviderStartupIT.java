package io.miaosha.api.payment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.FreshSecrets;
import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started as a deployment starts it (production profile, no -Dquarkus.profile),
 * refuses to run without a real payment provider. The only stores it touches are the test ones:
 * it fails before serving anything.
 */
class PaymentProviderStartupIT {

    /** Valid secrets of its own, so the only thing wrong with each start is its payment provider. */
    private static final FreshSecrets SECRETS = FreshSecrets.generate();

    @Test
    void productionStartWithoutAPaymentProviderIsRefusedNamingTheSetting() {
        String log = startExpectingRefusal(Map.of());
        assertTrue(log.contains("No payment provider is configured"), log);
        assertTrue(log.contains("MIAOSHA_PAYMENT_PROVIDER"), log);
    }

    @Test
    void productionStartWithTheTestProviderIsRefused() {
        String log = startExpectingRefusal(Map.of("MIAOSHA_PAYMENT_PROVIDER", "test"));
        assertTrue(log.contains("runs only in the dev and test profiles"), log);
    }

    @Test
    void productionStartWithStripeButNoSecretKeyIsRefusedNamingTheKeySetting() {
        String log = startExpectingRefusal(Map.of("MIAOSHA_PAYMENT_PROVIDER", "stripe"));
        assertTrue(log.contains("MIAOSHA_STRIPE_API_KEY"), log);
    }

    @Test
    void productionStartWithStripeAndAPublishableKeyIsRefused() {
        String log = startExpectingRefusal(Map.of("MIAOSHA_PAYMENT_PROVIDER", "stripe",
                "MIAOSHA_STRIPE_API_KEY", "pk_live_notASecretKey"));
        assertTrue(log.contains("publishable"), log);
    }

    private static String startExpectingRefusal(Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(SECRETS.environment());
        // A deployment has no provider unless it says so, and runs in the production profile.
        environment.put("MIAOSHA_PAYMENT_PROVIDER", null);
        environment.put("QUARKUS_PROFILE", null);
        environment.put("MIAOSHA_STRIPE_API_KEY", null);
        // A real storefront address, so that the only thing refused is the payment provider.
        environment.put("MIAOSHA_STOREFRONT_URL", "https://shop.example");
        environment.putAll(env);
        ServiceProcess.Outcome outcome = ServiceProcess.jar(jar()).heap("256m")
                .properties(Map.of(
                        "quarkus.datasource.jdbc.url", TestStores.jdbcUrl(),
                        "quarkus.datasource.reactive.url", TestStores.mysqlUrl(),
                        "quarkus.datasource.read.reactive.url", TestStores.mysqlUrl(),
                        "quarkus.redis.hosts", TestStores.redisUrl(TestStores.REDIS_DB),
                        "rabbitmq-virtual-host", TestStores.API_VHOST,
                        "miaosha.relay.enabled", "false"))
                .environment(environment)
                .attempt(Duration.ofSeconds(90));
        assertFalse(outcome.started(), "the jar started instead of refusing to:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains("Failed to start"), outcome.output());
        return outcome.output();
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("miaosha.it.api-jar", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.exists(jar), jar + " is missing: package flash-sale-api first (./mvnw -pl flash-sale-api -am verify)");
        return jar;
    }
}
