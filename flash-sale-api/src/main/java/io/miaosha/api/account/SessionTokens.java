package io.miaosha.api.account;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;

/**
 * Issues session tokens: RS256 JWTs signed with the key at {@code smallrye.jwt.sign.key.location}.
 * Verification is smallrye-jwt's (public key at {@code mp.jwt.verify.publickey.location}); the
 * subject is the user id, {@code upn} the email, {@code groups} the role.
 */
@ApplicationScoped
public class SessionTokens {

    private final AccountConfig config;

    public SessionTokens(AccountConfig config) {
        this.config = config;
    }

    public Session issue(Account account) {
        Instant expiresAt = Instant.now().plus(config.sessionTtl());
        String token = Jwt.issuer(config.issuer())
                .subject(Long.toString(account.id()))
                .upn(account.email())
                .groups(Set.of(account.role()))
                .expiresAt(expiresAt)
                .sign();
        return new Session(token, expiresAt, account.view());
    }

    public record Session(String token, Instant expiresAt, Account.AccountView account) {
    }
}
