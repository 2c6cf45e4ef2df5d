package io.miaosha.api.account;

import io.miaosha.common.session.SessionKeys;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Issues session tokens: RS256 JWTs signed with the key at {@code smallrye.jwt.sign.key.location}.
 * Verification is smallrye-jwt's (public key at {@code mp.jwt.verify.publickey.location}); the
 * subject is the user id, {@code upn} the email, {@code groups} the role, {@code jti} a random id
 * (what a logout revokes) and {@value SessionKeys#VERSION_CLAIM} the user's session version (what a
 * role change or removal outdates).
 */
@ApplicationScoped
public class SessionTokens {

    private final AccountConfig config;

    public SessionTokens(AccountConfig config) {
        this.config = config;
    }

    public Session issue(Account account, long sessionVersion) {
        Instant expiresAt = Instant.now().plus(config.sessionTtl());
        String token = Jwt.issuer(config.issuer())
                .subject(Long.toString(account.id()))
                .claim("jti", UUID.randomUUID().toString())
                .claim(SessionKeys.VERSION_CLAIM, sessionVersion)
                .upn(account.email())
                .groups(Set.of(account.role()))
                .expiresAt(expiresAt)
                .sign();
        return new Session(token, expiresAt, account.view());
    }

    public record Session(String token, Instant expiresAt, Account.AccountView account) {
    }
}
