package io.miaosha.api.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

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

    /** Confirming an account's email address: the link sent at sign-up and on "send it again". */
    Verification verification();

    interface Verification {

        /** How long a link confirms the address; after that the shopper asks for a new one. */
        @WithDefault("PT24H")
        Duration linkTtl();

        /** Verification emails one account may be sent in one window, the sign-up's included. */
        @WithDefault("3")
        int maxEmails();

        /** The sliding window of {@link #maxEmails()}; a refusal's Retry-After is when its oldest email leaves it. */
        @WithDefault("PT1H")
        Duration window();

        /**
         * The storefront's address as shoppers reach it (no trailing slash): the link is
         * {@code <storefront-url>/verify-email#token=...}, the fragment so that no server, log or
         * Referer ever sees the token. The dev and test profiles default to http://localhost:8000;
         * production has no default and must be a public https URL (StorefrontUrlAtStartup).
         */
        Optional<String> storefrontUrl();
    }

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
