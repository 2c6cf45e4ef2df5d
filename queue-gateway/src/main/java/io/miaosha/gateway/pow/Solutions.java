package io.miaosha.gateway.pow;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.altcha.altcha.Altcha;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Checks a solution as the browser's ALTCHA widget sends it (base64 of the JSON
 * {@code {algorithm, challenge, number, salt, signature, took}}) with ALTCHA's own library: the
 * signature is this gateway's HMAC of the challenge, and the challenge is SHA-256(salt + number).
 * Before that, what the library does not check: SHA-256 only (the library would take SHA-1), an expiry
 * present and not past, and the sale the challenge was issued for. Pure CPU, no store: whether the
 * solution was already spent is {@link JoinGate}'s question.
 */
final class Solutions {

    /** A solution with every field the widget sends is about 350 characters; anything far longer is not one. */
    static final int MAX_LENGTH = 1024;

    enum Check { VALID, MISSING, MALFORMED, WRONG_ALGORITHM, EXPIRED, OTHER_SALE, INVALID }

    /** A checked solution: the outcome, and for a valid one its challenge and expiry (epoch seconds). */
    record Checked(Check check, String challenge, long expiresAtSecond) {

        static Checked of(Check check) {
            return new Checked(check, null, 0);
        }
    }

    private Solutions() {
    }

    static Checked check(String payload, long saleId, String hmacKey, long nowMs) {
        if (payload == null || payload.isBlank()) {
            return Checked.of(Check.MISSING);
        }
        if (payload.length() > MAX_LENGTH) {
            return Checked.of(Check.MALFORMED);
        }
        JSONObject json;
        String salt;
        String challenge;
        String signature;
        try {
            json = new JSONObject(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8));
            salt = json.getString("salt");
            challenge = json.getString("challenge");
            json.getLong("number");
            signature = json.getString("signature");
            if (!"SHA-256".equals(json.getString("algorithm"))) {
                return Checked.of(Check.WRONG_ALGORITHM);
            }
        } catch (IllegalArgumentException | JSONException notASolution) {
            return Checked.of(Check.MALFORMED);
        }
        Map<String, String> params;
        try {
            params = Altcha.extractParams(salt);
        } catch (Exception notASalt) {
            return Checked.of(Check.MALFORMED);
        }
        long expires = parseLong(params.get("expires"));
        if (expires <= 0) {
            return Checked.of(Check.INVALID);
        }
        if (nowMs / 1000 > expires) {
            return Checked.of(Check.EXPIRED);
        }
        if (!Long.toString(saleId).equals(params.get("sale"))) {
            return Checked.of(Check.OTHER_SALE);
        }
        if (!signedByUs(challenge, signature, hmacKey)) {
            return Checked.of(Check.INVALID);
        }
        try {
            return Altcha.verifySolution(payload, hmacKey, true)
                    ? new Checked(Check.VALID, challenge, expires) : Checked.of(Check.INVALID);
        } catch (Exception unreadable) {
            return Checked.of(Check.MALFORMED);
        }
    }

    /**
     * The signature compared in constant time before the library compares it again (with
     * {@code equals}, whose time tells how many leading characters matched): only a signature that
     * is already right reaches the library's comparison, so its timing tells an attacker nothing.
     */
    private static boolean signedByUs(String challenge, String signature, String hmacKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException | IllegalArgumentException unusableKey) {
            return false;
        }
    }

    private static long parseLong(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }
}
