package io.miaosha.api.arming;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.arming")
public interface ArmingConfig {

    /** Sales opening within this horizon are armed automatically if nobody armed them. */
    @WithDefault("PT10M")
    Duration horizon();

    /** How often every instance looks for sales to arm (read by AutoArmer's schedule). */
    @WithDefault("10s")
    String checkEvery();
}
