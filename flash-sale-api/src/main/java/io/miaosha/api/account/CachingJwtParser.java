package io.miaosha.api.account;

import io.miaosha.common.session.SessionKeys;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers session tokens it has already verified. An RS256 signature check costs tens of
 * microseconds, which at flash-sale rates is most of a core spent re-proving what was proven a
 * moment ago: a shopper retries the same purchase with the same token many times a second. The
 * key is the whole token, signature included, so a forged or altered token never hits the cache;
 * expiry is checked on every hit. Bounded: when full, it starts over.
 *
 * <p>A valid signature is not a valid session: {@link SessionGuard} also asks whether the user
 * still exists with the token's role and the token was not ended (logout, role change, removal).
 * Its answer is kept here beside the token, trusted for at most {@code miaosha.account.session-recheck}
 * (a minute at most), and dropped at once for a user named on the revocations channel
 * ({@link #forgetUser}), so an ended session stops working on every instance within that bound.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    private static final int MAX_ENTRIES = 200_000;
    private static final int MAX_FORGOTTEN = 100_000;

    private final DefaultJWTParser delegate;
    private final long recheckMillis;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    /** User id to when its sessions were last revoked (ms); older session checks of that user no longer count. */
    private final ConcurrentHashMap<Long, Long> forgottenAt = new ConcurrentHashMap<>();

    public CachingJwtParser(DefaultJWTParser delegate, AccountConfig config) {
        this.delegate = delegate;
        this.recheckMillis = config.sessionRecheck().toMillis();
    }

    /** A verified token and when its session was last found valid (0: not yet). */
    private static final class Verified {
        final JsonWebToken token;
        volatile long sessionCheckedAt;

        Verified(JsonWebToken token) {
            this.token = token;
        }
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Verified known = verified.get(token);
        if (known != null && known.token.getExpirationTime() > System.currentTimeMillis() / 1000) {
            return known.token;
        }
        if (known != null) {
            verified.remove(token);
        }
        JsonWebToken fresh = delegate.parse(token);
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(token, new Verified(fresh));
        return fresh;
    }

    /**
     * The token's claims when it was verified here, has not expired and its session was found valid within
     * the re-check bound; null when the full check (signature, session) must run first. What the purchase
     * fast path accepts in place of the security layer, which would decide the same from the same entries.
     */
    public JsonWebToken trustedSession(String token, long nowMillis) {
        Verified known = verified.get(token);
        if (known == null || known.token.getExpirationTime() <= nowMillis / 1000) {
            return null;
        }
        long userId = SessionKeys.userIdOf(known.token.getSubject());
        return userId > 0 && sessionTrusted(token, userId, nowMillis) ? known.token : null;
    }

    /** Whether the session of this (verified) token was found valid recently enough to skip asking again. */
    boolean sessionTrusted(String token, long userId, long nowMillis) {
        Verified known = verified.get(token);
        if (known == null || known.sessionCheckedAt == 0 || nowMillis - known.sessionCheckedAt >= recheckMillis) {
            return false;
        }
        Long forgotten = forgottenAt.get(userId);
        return forgotten == null || known.sessionCheckedAt > forgotten;
    }

    /** Records that the session was found valid by a check that started at {@code checkStartedAt}. */
    void sessionChecked(String token, long checkStartedAt) {
        Verified known = verified.get(token);
        if (known != null && checkStartedAt > known.sessionCheckedAt) {
            known.sessionCheckedAt = checkStartedAt;
        }
    }

    /**
     * Stops trusting every earlier session check of this user: its sessions changed on some
     * instance. Entries older than the recheck bound are dropped when the map grows, since a check
     * that old is not trusted anyway.
     */
    void forgetUser(long userId) {
        long now = System.currentTimeMillis();
        if (forgottenAt.size() >= MAX_FORGOTTEN) {
            forgottenAt.values().removeIf(at -> now - at > recheckMillis);
        }
        forgottenAt.merge(userId, now, Math::max);
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
