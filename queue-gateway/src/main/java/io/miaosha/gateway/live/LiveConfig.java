package io.miaosha.gateway.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.live")
public interface LiveConfig {

    /**
     * How often this instance reads the state of each sale it has viewers for. A purchase publishes
     * nothing (one message per purchase would cost the hot path more than every viewer's read), so
     * this bounds how late a change of the units left reaches a page: half a second plus delivery,
     * within the second the page promises. Sold out, stock back and changed terms are also pushed
     * as soon as their sale event arrives. One read per watched sale, whatever the number of viewers.
     */
    @WithDefault("500ms")
    Duration readEvery();

    /**
     * How often this instance reads the seat changes of each seated sale it has viewers for, and sends
     * them (if any) as one frame to all of them: a seat picked by someone else turns unavailable on every
     * screen within this plus delivery, inside the half second the seat map promises.
     */
    @WithDefault("200ms")
    Duration seatInterval();
}
