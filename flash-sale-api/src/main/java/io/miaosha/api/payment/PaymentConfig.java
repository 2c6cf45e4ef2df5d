package io.miaosha.api.payment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.payment")
public interface PaymentConfig {

    /** Attempts of one charge when the provider fails transiently (same charge key every time). */
    @WithDefault("3")
    int attempts();

    /** First pause between attempts; it doubles each time. */
    @WithDefault("PT0.1S")
    Duration backOff();

    /** How long a declined answer is replayed for the same Idempotency-Key. */
    @WithDefault("PT24H")
    Duration idempotencyTtl();
}
