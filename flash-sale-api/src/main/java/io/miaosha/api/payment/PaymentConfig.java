package io.miaosha.api.payment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "miaosha.payment")
public interface PaymentConfig {

    /**
     * Who moves the money. No default in production on purpose: a deployment that forgot to choose
     * must not start with the test provider, whose test cards make every order free (see
     * {@link PaymentProviders}). The dev and test profiles choose {@code test}.
     */
    Optional<Provider> provider();

    /** Attempts of one charge when the provider fails transiently (same charge key every time). */
    @WithDefault("3")
    int attempts();

    /** First pause between attempts; it doubles each time. */
    @WithDefault("PT0.1S")
    Duration backOff();

    /** How long a declined answer is replayed for the same Idempotency-Key. */
    @WithDefault("PT24H")
    Duration idempotencyTtl();

    /**
     * How long a payment waits for another payment of the same order that is in flight (a second
     * tab, a double click with a new key) before answering payment-in-progress. Waiting, rather
     * than charging in parallel, is what keeps a shopper from being charged twice and refunded once.
     */
    @WithDefault("PT10S")
    Duration inFlightWait();

    /**
     * Lifetime of the in-flight marker of a charge: longer than the slowest charge with all its
     * attempts (Stripe: attempts x (connect + read timeout)), so it only lapses when an instance
     * died mid-charge.
     */
    @WithDefault("PT2M")
    Duration inFlightTtl();

    Stripe stripe();

    enum Provider {
        /** {@link TestPaymentProvider}: test cards, nothing charged. Dev, tests, and the run command. */
        TEST,
        /** {@link StripePaymentProvider}: Stripe PaymentIntents. */
        STRIPE
    }

    interface Stripe {

        /** The account's secret (sk_…) or restricted (rk_…) key; required when the provider is stripe. */
        Optional<String> apiKey();

        /** Where the Stripe API is; tests point it at their stub. */
        @WithDefault("https://api.stripe.com")
        String apiBase();

        @WithDefault("PT5S")
        Duration connectTimeout();

        @WithDefault("PT20S")
        Duration readTimeout();
    }
}
