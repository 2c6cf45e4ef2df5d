package io.miaosha.api.account;

import io.miaosha.common.session.SessionKeys;
import io.miaosha.common.session.SessionRevocationCheck;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a validly signed session token into a session only while it still is one: its subject is a
 * positive user id (as the API issues it), that user exists with the token's role, and the token
 * was not ended early (see {@link SessionRevocations}). Anything else is 401, before any endpoint
 * sees the token, so no endpoint parses a subject that is not a number or acts for a user who is
 * gone. The answer is cached beside the token ({@link CachingJwtParser}) for the re-check bound,
 * so the purchase path pays one MySQL and one Redis read per token and bound, not per request.
 * Concurrent first requests of one token each check for themselves: sharing one check would
 * resume other requests on the event loop of the first, where their security context is not.
 */
@ApplicationScoped
public class SessionGuard implements SecurityIdentityAugmentor {

    private final CachingJwtParser parser;
    private final AccountRepository accounts;
    private final ReactiveRedisDataSource redis;

    public SessionGuard(CachingJwtParser parser, AccountRepository accounts, ReactiveRedisDataSource redis) {
        this.parser = parser;
        this.accounts = accounts;
        this.redis = redis;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        long userId = SessionKeys.userIdOf(token.getSubject());
        if (userId <= 0) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the token's subject is not a user id"));
        }
        String raw = token.getRawToken();
        if (parser.sessionTrusted(raw, userId, System.currentTimeMillis())) {
            return Uni.createFrom().item(identity);
        }
        return check(token, userId).map(startedAt -> {
            if (startedAt < 0) {
                throw new AuthenticationFailedException("the session was ended or its user is gone");
            }
            parser.sessionChecked(raw, startedAt);
            return identity;
        });
    }

    /**
     * Yields the time the check started, or -1 when the session is not valid. The start time is what
     * is recorded: a revocation announced after it must still count.
     */
    private Uni<Long> check(JsonWebToken token, long userId) {
        return Uni.createFrom().deferred(() -> {
            long startedAt = System.currentTimeMillis();
            return isStillValid(token, userId).map(valid -> valid ? startedAt : -1L);
        });
    }

    private Uni<Boolean> isStillValid(JsonWebToken token, long userId) {
        long version = SessionRevocationCheck.versionOf(token.getClaim(SessionKeys.VERSION_CLAIM));
        return Uni.combine().all()
                .unis(accounts.findSessionAccount(userId), SessionRevocationCheck.isRevoked(redis, userId, token.getTokenID(), version))
                .with((account, revoked) -> account != null && !revoked && Set.of(account.role()).equals(token.getGroups()));
    }
}
