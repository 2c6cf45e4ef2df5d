package io.miaosha.common.admission;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies admission tokens: JWTs in compact form, HS256 (HMAC-SHA256) with a secret the
 * gateway and the API share. Hand-rolled on purpose: verification sits on the purchase hot path
 * (20,000+ per second per instance), and an HMAC over ~200 bytes plus a fixed-shape payload scan
 * costs about a microsecond, where a general JOSE library parses JSON into maps and an RSA check
 * costs tens of microseconds (see the queue-gateway README for the measurement).
 *
 * <p>Only tokens of exactly this shape are accepted: the header must be the one this codec writes
 * (so {@code alg: none} or an algorithm swap is refused before any parsing), the signature is
 * compared in constant time, and only then is the payload read.
 */
public final class AdmissionTokenCodec {

    /** Audience of every admission token: a session token can never pass for one, nor the reverse. */
    public static final String AUDIENCE = "miaosha-purchase";
    private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    /** A Mac is not thread-safe and costly to create; one per thread keeps verification allocation-light. */
    private final ThreadLocal<Mac> macs;

    public AdmissionTokenCodec(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("the admission secret must be at least 32 bytes (256 bits) for HS256");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public String sign(AdmissionToken token) {
        String payload = b64(("{\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + token.userId() + "\",\"sale\":" + token.saleId()
                + ",\"exp\":" + Math.floorDiv(token.expiresAtMs(), 1000) + ",\"wend\":" + token.expiresAtMs()
                + ",\"jti\":\"" + token.id() + "\"}").getBytes(StandardCharsets.UTF_8));
        String signingInput = HEADER + "." + payload;
        return signingInput + "." + b64(mac(signingInput));
    }

    /**
     * Checks shape and signature and returns the claims, or throws {@link Invalid} naming what was
     * wrong. Expiry, user and sale are the caller's to compare (see {@link #verifyFor}).
     */
    public AdmissionToken verify(String token) {
        if (token == null || token.isEmpty()) {
            throw new Invalid("missing");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new Invalid("malformed");
        }
        if (first != HEADER.length() || !token.startsWith(HEADER)) {
            throw new Invalid("unexpected header (only HS256 admission tokens are accepted)");
        }
        byte[] given;
        try {
            given = DECODER.decode(token.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new Invalid("malformed signature");
        }
        if (!MessageDigest.isEqual(given, mac(token.substring(0, second)))) {
            throw new Invalid("bad signature");
        }
        String payload;
        try {
            payload = new String(DECODER.decode(token.substring(first + 1, second)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Invalid("malformed payload");
        }
        // The payload is ours (the signature proved it), so a scan for known fields is enough.
        if (!AUDIENCE.equals(stringField(payload, "aud"))) {
            throw new Invalid("not an admission token");
        }
        return new AdmissionToken(Long.parseLong(stringField(payload, "sub")), numberField(payload, "sale"),
                numberField(payload, "wend"), stringField(payload, "jti"));
    }

    /** Verifies and checks the token belongs to this user and sale and is still within its window. */
    public AdmissionToken verifyFor(String token, long userId, long saleId, long nowMs) {
        AdmissionToken claims = verify(token);
        if (claims.userId() != userId) {
            throw new Invalid("issued to another user");
        }
        if (claims.saleId() != saleId) {
            throw new Invalid("issued for another sale");
        }
        if (nowMs >= claims.expiresAtMs()) {
            throw new Invalid("expired (the shopping window has ended)");
        }
        return claims;
    }

    private byte[] mac(String signingInput) {
        return macs.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stringField(String json, String name) {
        String marker = "\"" + name + "\":\"";
        int start = json.indexOf(marker);
        if (start < 0) {
            throw new Invalid("missing claim " + name);
        }
        start += marker.length();
        return json.substring(start, json.indexOf('"', start));
    }

    private static long numberField(String json, String name) {
        String marker = "\"" + name + "\":";
        int start = json.indexOf(marker);
        if (start < 0) {
            throw new Invalid("missing claim " + name);
        }
        start += marker.length();
        int end = start;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        return Long.parseLong(json.substring(start, end));
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The token is not a valid admission token; the message says why (safe to show the client). */
    public static final class Invalid extends RuntimeException {
        public Invalid(String reason) {
            super(reason, null, false, false);
        }
    }
}
