package io.miaosha.api.account;

import io.miaosha.common.session.SessionKeys;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Issues session tokens: RS256 JWTs signed with the key at {@code smallrye.jwt.sign.key.location}.
 * Verification is smallrye-jwt's (public key at {@code mp.jwt.verify.publickey.location}); the
 * subject is the user id, {@code upn} the email, {@code groups} the role, {@code jti} a random id
 * (what a logout revokes), {@value SessionKeys#VERSION_CLAIM} the user's session version (what a
 * role change or removal outdates) and, once the account confirmed its email,
 * {@value SessionKeys#EMAIL_VERIFIED_CLAIM} true (what a verified-only sale asks for, at the gateway and
 * in the purchase script, without a database read).
 */
@ApplicationScoped
public class SessionTokens {

    private final AccountConfig config;

    public SessionTokens(AccountConfig config) {
        this.config = config;
    }

    public Session issue(Account account, long sessionVersion) {
        Instant expiresAt = Instant.now().plus(config.sessionTtl());
        JwtClaimsBuilder claims = Jwt.issuer(config.issuer())
                .subject(Long.toString(account.id()))
                .claim("jti", UUID.randomUUID().toString())
                .claim(SessionKeys.VERSION_CLAIM, sessionVersion)
                .upn(account.email())
                .groups(Set.of(account.role()))
                .expiresAt(expiresAt);
        if (account.emailVerified()) {
            claims.claim(SessionKeys.EMAIL_VERIFIED_CLAIM, true);
        }
        String token = claims.sign();
        return new Session(token, expiresAt, account.view());
    }

    public record Session(String token, Instant expiresAt, Account.AccountView account) {
    }

    /** Whether a session token says its account's email is confirmed (the claim, true; absent is no). */
    public static boolean emailVerified(JsonWebToken session) {
        Object claim = session.getClaim(SessionKeys.EMAIL_VERIFIED_CLAIM);
        // jose4j hands a JSON true over as a Boolean, smallrye-jwt's principal may wrap it as a JsonValue.
        return claim instanceof Boolean b ? b
                : claim instanceof JsonValue value && value.getValueType() == JsonValue.ValueType.TRUE;
    }
}
