package io.miaosha.api.seating;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "miaosha.seating")
public interface SeatingConfig {

    /** The highest per-shopper seat limit an admin may give a seated sale (the default limit is 4). */
    @WithDefault("10")
    int maxSeatLimit();
}
