package io.miaosha.worker.housekeeping;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When an ended sale's hot state leaves Redis. */
@ConfigMapping(prefix = "miaosha.retire")
public interface RetirementConfig {

    /** Pause between two looks at the armed sales; each look costs a few commands per ended sale. */
    @WithDefault("60s")
    String every();

    /**
     * How long after closing a sale stays in Redis at least: longer than a hold, so the last holds
     * are paid or released by their own timers before the sale is looked at.
     */
    @WithDefault("PT15M")
    Duration grace();
}
