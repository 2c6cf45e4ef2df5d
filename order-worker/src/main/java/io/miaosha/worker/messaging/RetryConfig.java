package io.miaosha.worker.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.retry")
public interface RetryConfig {

    /** Tries of one message (the first delivery included) before it is parked. */
    @WithDefault("6")
    int attempts();

    /** Back-off before the second try; it doubles with each further try. */
    @WithDefault("PT0.5S")
    Duration firstBackOff();

    @WithDefault("PT30S")
    Duration maxBackOff();
}
