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
}
