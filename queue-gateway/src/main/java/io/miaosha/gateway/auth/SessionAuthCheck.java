package io.miaosha.gateway.auth;

import io.miaosha.common.session.SessionKeys;
import io.miaosha.common.session.SessionRevocationCheck;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Authenticates the WebSocket upgrade with the shopper's session JWT (RS256, the API's key and
 * issuer). Browsers cannot set headers on a WebSocket, so the token travels as a subprotocol entry:
 * {@code new WebSocket(url, ["miaosha.v1", "bearer." + jwt])}; the server answers with
 * {@code miaosha.v1} only, so the token is never echoed. A missing or invalid token refuses the
 * upgrade with 401. The token is never logged.
 *
 * <p>The same session rules as flash-sale-api's: the subject must be a positive user id written
 * as the API writes it, and a token ended early (logout, role change, account removal: the Redis
 * state of {@link SessionKeys}, written by the API) is refused, checked at every upgrade. The
 * gateway has no users table: a removed account is refused through the session version its
 * removal bumped. When Redis cannot answer, the upgrade is refused with 503 (try again), not let in.
 */
@ApplicationScoped
public class SessionAuthCheck implements HttpUpgradeCheck {

    public static final UserData.TypedKey<Long> USER_ID = UserData.TypedKey.forLong("miaosha.userId");
    /** The upgrade request, until the socket is open and its headers can go (see {@link #releaseUpgradeRequest}). */
    static final UserData.TypedKey<io.vertx.core.http.HttpServerRequest> UPGRADE_REQUEST =
            new UserData.TypedKey<>("miaosha.upgradeRequest");
    static final String BEARER_PREFIX = "bearer.";

    private final JWTParser parser;
    private final ReactiveRedisDataSource redis;

    public SessionAuthCheck(JWTParser parser, ReactiveRedisDataSource redis) {
        this.parser = parser;
        this.redis = redis;
    }

    /**
     * Every endpoint but the public live feed of a sale page, which viewers open signed in or not:
     * a new endpoint is authenticated unless it is named here.
     */
    @Override
    public boolean appliesTo(String endpointId) {
        return !io.miaosha.gateway.live.LiveSocket.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String token = bearer(context.httpRequest().getHeader("Sec-WebSocket-Protocol"));
        if (token == null) {
            return CheckResult.rejectUpgrade(401);
        }
        JsonWebToken session;
        try {
            session = parser.parse(token);
        } catch (ParseException | RuntimeException invalid) {
            return CheckResult.rejectUpgrade(401);
        }
        long userId = SessionKeys.userIdOf(session.getSubject());
        if (userId <= 0) {
            return CheckResult.rejectUpgrade(401);
        }
        long version = SessionRevocationCheck.versionOf(session.getClaim(SessionKeys.VERSION_CLAIM));
        return SessionRevocationCheck.isRevoked(redis, userId, session.getTokenID(), version)
                .chain(revoked -> {
                    if (revoked) {
                        return CheckResult.rejectUpgrade(401);
                    }
                    context.userData().put(USER_ID, userId);
                    keepOnlyHandshakeHeaders(context.httpRequest().headers());
                    context.userData().put(UPGRADE_REQUEST, context.httpRequest());
                    return CheckResult.permitUpgrade();
                })
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf("session check failed, upgrade refused with 503: %s", failure.toString());
                    return CheckResult.rejectUpgrade(503);
                });
    }

    /**
     * The upgrade request stays referenced for the socket's whole life (Vert.x keeps it, Quarkus
     * copies its headers), so what we do not need is dropped once the shopper is known: the session
     * token itself (also: it cannot leak from a heap dump of an idle socket), cookies, user agent and
     * the rest of what browsers send. Only the handshake's own headers stay.
     */
    static void keepOnlyHandshakeHeaders(io.vertx.core.MultiMap headers) {
        headers.set("Sec-WebSocket-Protocol", SUBPROTOCOL);
        for (String name : java.util.List.copyOf(headers.names())) {
            if (!HANDSHAKE_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                headers.remove(name);
            }
        }
    }

    /**
     * Once the handshake is answered, nothing reads the upgrade request's headers or the 101 response's
     * again, but Vert.x keeps both for the socket's life: emptied, they cost a few hundred bytes less
     * per idle socket.
     */
    public static void releaseUpgradeRequest(UserData userData) {
        io.vertx.core.http.HttpServerRequest request = userData.remove(UPGRADE_REQUEST);
        if (request != null) {
            request.headers().clear();
            request.response().headers().clear();
        }
    }

    static final String SUBPROTOCOL = "miaosha.v1";
    private static final java.util.Set<String> HANDSHAKE_HEADERS = java.util.Set.of("host", "upgrade", "connection",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "origin");

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
