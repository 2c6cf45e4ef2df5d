package io.miaosha.api.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.account")
public interface AccountConfig {

    /** bcrypt cost factor; each step doubles the work of a guess (and of a login). */
    @WithDefault("10")
    int bcryptCost();

    /** Lifetime of a session token. */
    @WithDefault("PT12H")
    Duration sessionTtl();

    /** The {@code iss} claim of session tokens; verification checks it (mp.jwt.verify.issuer). */
    @WithDefault("https://miaosha.dev")
    String issuer();

    /**
     * How long an instance trusts what it last learned about a session (user still there, same
     * role, token not logged out) before asking MySQL and Redis again. Revocations are also pushed
     * to every instance over Redis pub/sub; this bound is what holds when a message is lost. Keep it
     * at most a minute: that is the promise for role changes and removals.
     */
    @WithDefault("PT30S")
    Duration sessionRecheck();

    /** The API's own log-in throttle, behind the edge's per-address rate limit. */
    Login login();

    interface Login {

        /** Failed (or still running) log-in attempts one account may have in one window. */
        @WithDefault("10")
        int maxPerAccount();

        /** Failed (or still running) log-in attempts one client address may make in one window. */
        @WithDefault("50")
        int maxPerAddress();

        /** The fixed window, started by its first attempt; a refusal's Retry-After is what is left of it. */
        @WithDefault("PT15M")
        Duration window();
    }
}
