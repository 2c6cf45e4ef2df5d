package io.miaosha.worker.system;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Mints RS256 session tokens with the dev key, as flash-sale-api's SessionTokens does, so a system
 * test acts as hundreds of shoppers without paying bcrypt for each login.
 */
final class SessionTokenMinter {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private final PrivateKey key;

    SessionTokenMinter(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    String shopper(long userId) {
        return mint(userId, "shopper");
    }

    String admin(long userId) {
        return mint(userId, "admin");
    }

    private String mint(long userId, String role) {
        long now = Instant.now().getEpochSecond();
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = encode(("{\"iss\":\"https://miaosha.dev\",\"sub\":\"%d\",\"upn\":\"it%d@test.miaosha.dev\","
                + "\"groups\":[\"%s\"],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}")
                .formatted(userId, userId, role, now, now + 3600, UUID.randomUUID()));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
