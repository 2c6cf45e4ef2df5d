package io.miaosha.common.session;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Whether a validly signed session token was ended early (logout, role change, removal): one MGET of
 * the user's two {@link SessionKeys} on one shard. Every service that accepts session tokens asks
 * the same question the same way, so a token the API refuses is refused by the gateway too.
 */
public final class SessionRevocationCheck {

    private SessionRevocationCheck() {
    }

    /**
     * @param jti the token's id, or null when it has none (then only the version can end it)
     * @param tokenVersion the token's {@value SessionKeys#VERSION_CLAIM} claim, 0 when absent
     */
    public static Uni<Boolean> isRevoked(ReactiveRedisDataSource redis, long userId, String jti, long tokenVersion) {
        SessionKeys keys = new SessionKeys(userId);
        Uni<Response> read = jti == null
                ? redis.execute("MGET", keys.version())
                : redis.execute("MGET", keys.version(), keys.revoked(jti));
        return read.map(values -> {
            Response version = values.get(0);
            long current = version == null ? 0 : Long.parseLong(version.toString());
            boolean loggedOut = values.size() > 1 && values.get(1) != null;
            return loggedOut || tokenVersion < current;
        });
    }

    /** The {@value SessionKeys#VERSION_CLAIM} claim as issued (a JSON number), or 0 when absent or not one. */
    public static long versionOf(Object claim) {
        if (claim instanceof Number number) {
            return number.longValue();
        }
        if (claim == null) {
            return 0;
        }
        // smallrye-jwt hands custom claims over as JSON values, whose text is the number itself.
        try {
            return Long.parseLong(claim.toString());
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }
}
