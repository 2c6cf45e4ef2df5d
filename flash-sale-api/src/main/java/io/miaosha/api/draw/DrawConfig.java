package io.miaosha.api.draw;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Instant;

@ConfigMapping(prefix = "miaosha.draw")
public interface DrawConfig {

    /**
     * How long before a queued sale's opening shoppers may enter its draw (a place drawn at opening).
     * Armed into the sale's hot state (draw_from), where the waiting room refuses earlier joins, and
     * shown on the sale page (SaleView.drawEntriesOpenAt). Sales are armed at least this early.
     */
    @WithDefault("PT30M")
    Duration entriesOpenBefore();

    /** When entries to the draw of a sale opening at {@code opensAt} open. */
    default Instant entriesOpenAt(Instant opensAt) {
        return opensAt.minus(entriesOpenBefore());
    }
}
