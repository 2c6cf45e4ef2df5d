package io.miaosha.api.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.demo")
public interface DemoConfig {

    /** Seed the demo accounts, product and sale at startup (the run command turns this on). */
    @WithDefault("false")
    boolean enabled();

    /** The demo sale opens this long after startup, so a newcomer sees it go live. */
    @WithDefault("PT2M")
    Duration opensIn();

    @WithDefault("PT2H")
    Duration lasts();
}
