package io.miaosha.api.purchase;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.purchase")
public interface PurchaseConfig {

    /** Most units one purchase request may ask for, whatever the sale's per-user limit. */
    @WithDefault("10")
    int maxQuantity();

    /** How long the first answer to an Idempotency-Key is kept for replays. */
    @WithDefault("PT24H")
    Duration idempotencyTtl();

    /**
     * How long this instance trusts its own "sold out" memory before asking Redis once more. Pub/sub
     * clears it the moment stock returns; this bound only matters if that message was missed.
     */
    @WithDefault("PT5S")
    Duration soldOutRecheck();

    /**
     * Replicas that must hold an accepted purchase before it is answered 202 (Redis WAIT after the
     * script, on its connection): 1 in production, so a 202 survives the loss of the master. 0 (a
     * lone development Redis) answers when the master has it.
     */
    @WithDefault("0")
    int durableReplicas();

    /** How long to wait for those replicas; past it the purchase answers 503 purchase-not-confirmed. */
    @WithDefault("PT0.1S")
    Duration durableTimeout();
}
