package io.miaosha.api.arming;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a sale whose hot state Redis lost is rebuilt: see {@link SaleRecovery}. */
@ConfigMapping(prefix = "miaosha.recovery")
public interface RecoveryConfig {

    /** How often every instance looks at the recovering sales (read by SaleRecovery's schedule). */
    @WithDefault("1s")
    String checkEvery();

    /**
     * The least time between arming a sale as recovering and rebuilding it: a relay that read outbox
     * entries just before Redis died publishes them within it (its publish waits for the broker's
     * confirm, well under a second).
     */
    @WithDefault("PT3S")
    Duration settle();

    /**
     * How long the order queues must have been seen empty (on two looks at least this far apart)
     * before the rebuild reads MySQL: a worker notes the orders it took from the queue just before the
     * first look (adopt_orders.lua, within milliseconds of their delivery) well inside it.
     */
    @WithDefault("PT1S")
    Duration quiet();

    /**
     * The longest a sale stays recovering because the order queues are not empty (a standing backlog of
     * other sales, a consumer that is down): past it the sale is rebuilt anyway, and orders that reach
     * a worker later are adopted into it (adopt_orders.lua), taking their units from the stock left.
     */
    @WithDefault("PT60S")
    Duration maxWait();

    /**
     * Whether the rebuild waits until the order queues hold nothing. Off only where no worker drains
     * them (the API's own tests, whose vhost no worker consumes).
     */
    @WithDefault("true")
    boolean waitForPipeline();
}
