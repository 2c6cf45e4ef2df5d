package io.miaosha.api.account;

import io.miaosha.common.events.SessionRevoked;
import io.miaosha.common.redis.LastingSubscription;
import io.miaosha.common.session.SessionKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;

/**
 * Ends sessions before their tokens expire, in Redis (see {@link SessionKeys}) so that every
 * instance of every service sees it: one token at logout, every token of a user at a role change or
 * removal. Each change is then announced on the revocations channel, and every instance of the API
 * drops what it trusted about that user at once ({@link CachingJwtParser#forgetUser}); a lost
 * announcement only delays the effect to the session re-check bound.
 */
@ApplicationScoped
public class SessionRevocations {

    /** Redis keeps a revocation this much past the token's expiry: the verifier's clock-skew allowance. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private final ReactiveRedisDataSource redis;
    private final CachingJwtParser parser;
    private final long sessionTtlMillis;

    public SessionRevocations(ReactiveRedisDataSource redis, CachingJwtParser parser, AccountConfig config) {
        this.redis = redis;
        this.parser = parser;
        this.sessionTtlMillis = config.sessionTtl().plus(CLOCK_SKEW).toMillis();
    }

    void listen(@Observes StartupEvent startup) {
        // Subscribed again whenever its connection ends (a Redis node lost, failed over or restarted).
        LastingSubscription.follow(redis, SessionRevoked.CHANNEL, this::onRevocation);
    }

    /** The user's session version, which a token issued now carries. */
    public Uni<Long> currentVersion(long userId) {
        return redis.execute("GET", new SessionKeys(userId).version())
                .map(value -> value == null ? 0L : value.toLong());
    }

    /** Ends one token (logout) for as long as it would have been valid. */
    public Uni<Void> endToken(long userId, String jti, Instant expiresAt) {
        long ttl = Math.max(1, Duration.between(Instant.now(), expiresAt).plus(CLOCK_SKEW).toMillis());
        return redis.execute("SET", new SessionKeys(userId).revoked(jti), "1", "PX", Long.toString(ttl))
                .chain(() -> announce(userId));
    }

    /** Ends every token of the user issued until now (role change, removal, a token without an id). */
    public Uni<Void> endAllSessions(long userId) {
        String key = new SessionKeys(userId).version();
        return redis.execute("INCR", key)
                .chain(() -> redis.execute("PEXPIRE", key, Long.toString(sessionTtlMillis)))
                .chain(() -> announce(userId));
    }

    private Uni<Void> announce(long userId) {
        parser.forgetUser(userId);
        return redis.execute("PUBLISH", SessionRevoked.CHANNEL, new SessionRevoked(userId).encode()).replaceWithVoid();
    }

    private void onRevocation(String message) {
        try {
            parser.forgetUser(SessionRevoked.decode(message).userId());
        } catch (RuntimeException malformed) {
            Log.warnf("ignoring malformed session revocation '%s'", message);
        }
    }
}
