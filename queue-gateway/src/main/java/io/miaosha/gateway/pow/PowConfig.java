package io.miaosha.gateway.pow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The join's proof-of-work (ALTCHA) and the join limits: see docs/queue-gateway.md "Bots pay". */
@ConfigMapping(prefix = "miaosha.pow")
public interface PowConfig {

    /**
     * HMAC key that signs the challenges, the same on every gateway instance and known to nothing else.
     * At least 32 bytes; a packaged gateway refuses to start without one or with the committed default.
     */
    Optional<String> key();

    /** The challenge's number range (ALTCHA's maxnumber) of a quiet sale: about half of it is tried on average. */
    @WithDefault("20000")
    long baseMaxNumber();

    /** The range never grows past this, however fast shoppers join. */
    @WithDefault("500000")
    long ceilingMaxNumber();

    /** Joins per second of one sale that double the range: base × 2^(joins per second / this). */
    @WithDefault("25")
    double doublingRate();

    /** How long an issued challenge may be solved and used: a solution older than this is refused. */
    @WithDefault("120s")
    Duration expires();

    /** Most joins of one account on one sale per {@link #limitWindow} (0: no limit). Reloads count too. */
    @WithDefault("10")
    int joinsPerAccount();

    /** Most joins from one client address (an IPv6 /64) on one sale per {@link #limitWindow} (0: no limit). */
    @WithDefault("30")
    int joinsPerAddress();

    /** The window of both join limits, fixed from the first join in it. */
    @WithDefault("60s")
    Duration limitWindow();
}
