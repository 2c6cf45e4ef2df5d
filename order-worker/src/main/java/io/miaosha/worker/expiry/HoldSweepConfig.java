package io.miaosha.worker.expiry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The backstop for hold timers: how often overdue holds are looked for, and how overdue they must be. */
@ConfigMapping(prefix = "miaosha.hold-sweep")
public interface HoldSweepConfig {

    /** Pause between two sweeps; a sweep looks (one ZRANGE) only at the sales that may have a hold due. */
    @WithDefault("15s")
    String every();

    /**
     * How long past its pay-by time a hold must be before the sweeper releases it. The hold timer
     * normally does it at pay-by; the grace keeps the two from racing for every hold.
     */
    @WithDefault("PT10S")
    Duration grace();

    /**
     * Longest a sale with nothing due is left alone: the bound on how late a hold written behind the
     * sweeper's back with an early deadline (a rebuild after a Redis loss) is found.
     */
    @WithDefault("PT1M")
    Duration quietAtMost();

    /** Most holds of one sale released per sweep, so one huge backlog cannot stall the others. */
    @WithDefault("500")
    int batch();
}
