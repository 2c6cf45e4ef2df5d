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
}
