package io.miaosha.gateway.auth;

import io.miaosha.common.session.SessionKeys;
import io.miaosha.common.session.SessionRevocationCheck;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Authenticates the waiting room's WebSocket upgrade with the shopper's session JWT (RS256, the API's
 * key and issuer). Browsers cannot set headers on a WebSocket, so the token travels as a subprotocol
 * entry: {@code new WebSocket(url, ["miaosha.v1", "bearer." + jwt])}; the server answers with
 * {@code miaosha.v1} only, so the token is never echoed. A missing or invalid token refuses the
 * upgrade with 401. The token is never logged. (The public live feed is not authenticated.)
 *
 * <p>The same session rules as flash-sale-api's: the subject must be a positive user id written
 * as the API writes it, and a token ended early (logout, role change, account removal: the Redis
 * state of {@link SessionKeys}, written by the API) is refused, checked at every upgrade. The
 * gateway has no users table: a removed account is refused through the session version its
 * removal bumped. When Redis cannot answer, the upgrade is refused with 503 (try again), not let in.
 * The token's {@value SessionKeys#EMAIL_VERIFIED_CLAIM} claim is read here too: a sale for verified
 * email accounts only gives a ticket to no one else (queue_join.lua).
 */
@ApplicationScoped
public class SessionAuthCheck {

    static final String BEARER_PREFIX = "bearer.";
    static final String SUBPROTOCOL = "miaosha.v1";
    private static final Set<String> HANDSHAKE_HEADERS = Set.of("host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "origin");

    private final JWTParser parser;
    private final ReactiveRedisDataSource redis;

    public SessionAuthCheck(JWTParser parser, ReactiveRedisDataSource redis) {
        this.parser = parser;
        this.redis = redis;
    }

    /** Who opens the socket: the user, and whether the session says its email is confirmed. */
    public record Session(long userId, boolean emailVerified) {
    }

    /**
     * The shopper's session, or null when the upgrade must be refused with 401 (no token, an invalid
     * or ended one); a failure when the session state cannot be read (503). Once the shopper is known
     * only the handshake's own headers stay on the request: the token, cookies and the rest go.
     */
    public Uni<Session> session(HttpServerRequest upgrade) {
        String token = bearer(upgrade.getHeader("Sec-WebSocket-Protocol"));
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        JsonWebToken session;
        try {
            session = parser.parse(token);
        } catch (ParseException | RuntimeException invalid) {
            return Uni.createFrom().nullItem();
        }
        long userId = SessionKeys.userIdOf(session.getSubject());
        if (userId <= 0) {
            return Uni.createFrom().nullItem();
        }
        long version = SessionRevocationCheck.versionOf(session.getClaim(SessionKeys.VERSION_CLAIM));
        boolean emailVerified = emailVerified(session.getClaim(SessionKeys.EMAIL_VERIFIED_CLAIM));
        return SessionRevocationCheck.isRevoked(redis, userId, session.getTokenID(), version)
                .onFailure().invoke(failure -> Log.warnf("session check failed, upgrade refused with 503: %s", failure.toString()))
                .map(revoked -> {
                    if (revoked) {
                        return null;
                    }
                    keepOnlyHandshakeHeaders(upgrade.headers());
                    return new Session(userId, emailVerified);
                });
    }

    /**
     * What we do not need of the upgrade request is dropped once the shopper is known: the session
     * token itself (it cannot leak from a heap dump of an idle socket), cookies, user agent and the rest
     * of what browsers send. Only the handshake's own headers stay, with the one subprotocol answered.
     */
    static void keepOnlyHandshakeHeaders(MultiMap headers) {
        headers.set("Sec-WebSocket-Protocol", SUBPROTOCOL);
        for (String name : List.copyOf(headers.names())) {
            if (!HANDSHAKE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                headers.remove(name);
            }
        }
    }

    /** The claim is a JSON true, as jose4j (a Boolean) or smallrye-jwt (a JsonValue) hands it over; absent is no. */
    static boolean emailVerified(Object claim) {
        return claim instanceof Boolean b ? b
                : claim instanceof JsonValue value && value.getValueType() == JsonValue.ValueType.TRUE;
    }

    /** The token of the "bearer." entry of a Sec-WebSocket-Protocol list, or null. */
    static String bearer(String protocols) {
        if (protocols == null) {
            return null;
        }
        for (String entry : protocols.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.startsWith(BEARER_PREFIX) && trimmed.length() > BEARER_PREFIX.length()) {
                return trimmed.substring(BEARER_PREFIX.length());
            }
        }
        return null;
    }
}
