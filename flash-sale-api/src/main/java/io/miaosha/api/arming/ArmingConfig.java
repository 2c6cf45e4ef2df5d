package io.miaosha.api.arming;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "miaosha.arming")
public interface ArmingConfig {

    /** Sales opening within this horizon are armed automatically if nobody armed them. */
    @WithDefault("PT10M")
    Duration horizon();

    /** How often every instance looks for sales to arm (read by AutoArmer's schedule). */
    @WithDefault("10s")
    String checkEvery();

    /** How long after start the first look happens (read by AutoArmer's schedule). */
    @WithDefault("5s")
    String firstCheck();

    /**
     * Whether the machine-to-machine arming endpoints ({@link ArmingResource}) take calls at all. On
     * by default, so that a packaged instance without {@link #key()} refuses to start rather than
     * run with arming silently broken; off, they refuse every call and no key is needed.
     */
    @WithDefault("true")
    boolean apiEnabled();

    /**
     * The key the scheduled-start function presents to {@link ArmingResource}. Absent means the
     * machine-to-machine arming endpoints refuse every call; there is deliberately no default, so
     * an instance that lost its secret cannot fall back to a key anyone could read in the source.
     */
    Optional<String> key();
}
