package io.miaosha.api.testing;

import io.smallrye.jwt.build.Jwt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Session tokens as the API issues them (signed with the dev key from the test configuration) and
 * the broken ones an attacker or a stale client sends.
 */
public final class Tokens {

    public static final String ISSUER = "https://miaosha.dev";

    private Tokens() {
    }

    public static String session(long userId, String email, String role) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(email).groups(Set.of(role))
                .expiresAt(Instant.now().plusSeconds(3600)).sign();
    }

    /** Expired an hour ago: well past smallrye-jwt's grace period for clock skew. */
    public static String expired(long userId, String email, String role) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(email).groups(Set.of(role))
                .issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)).sign();
    }

    /** Well formed and claiming to be an admin, but signed with a key the server has never seen. */
    public static String forged(long userId, String email, String role) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn(email).groups(Set.of(role))
                .expiresAt(Instant.now().plusSeconds(3600)).sign(freshKey());
    }

    /** An unsigned token ({@code alg: none}), built by hand since no library will make one. */
    public static String algNone(long userId, String email, String role) {
        long exp = Instant.now().plusSeconds(3600).getEpochSecond();
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + userId + "\",\"upn\":\"" + email
                + "\",\"groups\":[\"" + role + "\"],\"exp\":" + exp + ",\"iat\":" + (exp - 3600) + "}";
        return base64Url(header) + "." + base64Url(payload) + ".";
    }

    /** A valid session token whose payload was edited afterwards (role raised to admin). */
    public static String tampered(long userId, String email) {
        String[] parts = session(userId, email, "shopper").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"shopper\"", "\"admin\"");
        return parts[0] + "." + base64Url(payload) + "." + parts[2];
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PrivateKey freshKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
