package io.miaosha.api.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.relay")
public interface RelayConfig {

    /** Turn the relay off on instances that should only serve HTTP. */
    @WithDefault("true")
    boolean enabled();

    /** Entries read from one sale's outbox per round. */
    @WithDefault("500")
    int batchSize();

    /**
     * Most orders in one message ({@link io.miaosha.common.order.OrderBatch}): per message the broker
     * persists, confirms and delivers, so fewer messages cost it less; the worker expires a batch's holds
     * together, so a message stays a few dozen KB and a few hundred expiries.
     */
    @WithDefault("100")
    int ordersPerMessage();

    /** Pause after a round that found nothing to move before looking at the woken sales again (no Redis call). */
    @WithDefault("PT0.02S")
    Duration idlePause();

    /**
     * How often every armed sale's outbox length is checked, for entries no wake-up announced (a relay
     * that died with entries pending, a subscription that dropped): the bound on their delay.
     */
    @WithDefault("PT30S")
    Duration sweepEvery();

    /** An entry pending this long belongs to a relay presumed dead; another one claims it. */
    @WithDefault("PT10S")
    Duration claimAfter();

    /**
     * Longest wait for the broker's confirms of one batch. A message published on a connection that
     * dies (a RabbitMQ node killed) may never be confirmed nor refused; without a bound the relay waits
     * for it forever and no order of any sale moves again. Past it the batch stays pending, and is
     * claimed and published again once pending for {@link #claimAfter()}.
     */
    @WithDefault("PT10S")
    Duration confirmTimeout();
}
