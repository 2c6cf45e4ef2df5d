package io.miaosha.gateway.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

/** Session tokens as flash-sale-api issues them (the dev key pair), and forged ones. */
public final class Sessions {

    public static final String ISSUER = "https://miaosha.dev";
    private static final PrivateKey KEY = load();

    private Sessions() {
    }

    public static String of(long userId) {
        return Jwt.issuer(ISSUER).subject(Long.toString(userId)).upn("u" + userId + "@test.miaosha.dev")
                .groups(Set.of("shopper")).expiresAt(Instant.now().plusSeconds(3600)).sign(KEY);
    }

    public static String forged(long userId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).subject(Long.toString(userId)).expiresAt(Instant.now().plusSeconds(3600))
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey load() {
        try {
            return KeyUtils.readPrivateKey("dev-keys/privateKey.pem");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
