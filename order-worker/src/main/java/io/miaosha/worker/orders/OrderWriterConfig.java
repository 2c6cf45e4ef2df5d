package io.miaosha.worker.orders;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.order-writer")
public interface OrderWriterConfig {

    /** Most orders written in one transaction (one multi-row INSERT). */
    @WithDefault("500")
    int maxBatch();

    /** How long the first order of a batch waits for company; bounds the latency batching adds. */
    @WithDefault("PT0.005S")
    Duration linger();

    /**
     * How long the API keeps an idempotency answer (its miaosha.purchase.idempotency-ttl): an order adopted
     * after a Redis loss gets its answer back for what is left of it.
     */
    @WithDefault("PT24H")
    Duration idempotencyTtl();

    /** Attempts of one batch before its messages are rejected to the parking queue. */
    @WithDefault("5")
    int attempts();
}
