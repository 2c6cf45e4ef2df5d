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

    /** Pause after a round that found nothing, so an idle relay costs almost nothing. */
    @WithDefault("PT0.02S")
    Duration idlePause();

    /** An entry pending this long belongs to a relay presumed dead; another one claims it. */
    @WithDefault("PT10S")
    Duration claimAfter();
}
