package io.miaosha.api.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The startup decision alone; PaymentProviderStartupIT proves the packaged jar acts on it. */
class PaymentProvidersTest {

    @Test
    void noProviderIsRefusedNamingTheSetting() {
        var refusal = assertThrows(IllegalStateException.class,
                () -> PaymentProviders.check(config(null, null), LaunchMode.NORMAL, PROD));
        assertTrue(refusal.getMessage().contains("MIAOSHA_PAYMENT_PROVIDER"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("miaosha.payment.provider"), refusal.getMessage());
    }

    @Test
    void stripeWithoutAKeyIsRefusedNamingTheKeySetting() {
        for (String key : new String[] {null, "  "}) {
            var refusal = assertThrows(IllegalStateException.class,
                    () -> PaymentProviders.check(config(PaymentConfig.Provider.STRIPE, key), LaunchMode.NORMAL, PROD));
            assertTrue(refusal.getMessage().contains("MIAOSHA_STRIPE_API_KEY"), refusal.getMessage());
        }
    }

    @Test
    void stripeWithAPublishableKeyIsRefused() {
        var refusal = assertThrows(IllegalStateException.class, () -> PaymentProviders.check(
                config(PaymentConfig.Provider.STRIPE, "pk_live_abc123"), LaunchMode.NORMAL, PROD));
        assertTrue(refusal.getMessage().contains("publishable"), refusal.getMessage());
    }

    @Test
    void stripeWithASecretOrRestrictedKeyIsChosen() {
        assertEquals(PaymentConfig.Provider.STRIPE,
                PaymentProviders.check(config(PaymentConfig.Provider.STRIPE, "sk_live_abc123"), LaunchMode.NORMAL, PROD));
        assertEquals(PaymentConfig.Provider.STRIPE,
                PaymentProviders.check(config(PaymentConfig.Provider.STRIPE, "rk_test_abc123"), LaunchMode.NORMAL, PROD));
    }

    @Test
    void theTestProviderRunsInTheDevAndTestProfilesOnly() {
        assertEquals(PaymentConfig.Provider.TEST,
                PaymentProviders.check(config(PaymentConfig.Provider.TEST, null), LaunchMode.TEST, List.of("test")));
        assertEquals(PaymentConfig.Provider.TEST,
                PaymentProviders.check(config(PaymentConfig.Provider.TEST, null), LaunchMode.NORMAL, List.of("dev")),
                "a packaged jar started by the run command (QUARKUS_PROFILE=dev)");
        var refusal = assertThrows(IllegalStateException.class,
                () -> PaymentProviders.check(config(PaymentConfig.Provider.TEST, null), LaunchMode.NORMAL, PROD));
        assertTrue(refusal.getMessage().contains("only in the dev and test profiles"), refusal.getMessage());
        assertTrue(refusal.getMessage().contains("MIAOSHA_PAYMENT_PROVIDER=stripe"), refusal.getMessage());
    }

    private static final List<String> PROD = List.of("prod");

    static PaymentConfig config(PaymentConfig.Provider provider, String stripeKey) {
        PaymentConfig.Stripe stripe = new PaymentConfig.Stripe() {
            public Optional<String> apiKey() {
                return Optional.ofNullable(stripeKey);
            }

            public String apiBase() {
                return "https://api.stripe.com";
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(5);
            }

            public Duration readTimeout() {
                return Duration.ofSeconds(20);
            }
        };
        return new PaymentConfig() {
            public Optional<Provider> provider() {
                return Optional.ofNullable(provider);
            }

            public int attempts() {
                return 3;
            }

            public Duration backOff() {
                return Duration.ofMillis(100);
            }

            public Duration idempotencyTtl() {
                return Duration.ofHours(24);
            }

            public Duration inFlightWait() {
                return Duration.ofSeconds(10);
            }

            public Duration inFlightTtl() {
                return Duration.ofMinutes(2);
            }

            public Stripe stripe() {
                return stripe;
            }
        };
    }
}
