package io.miaosha.common.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of text (UTF-8), for keys and tags that must not carry the text itself. */
public final class Digests {

    private Digests() {
    }

    /** The whole SHA-256 of the text, in hex. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(digest("SHA-256", text));
    }

    /** The first {@code bytes} bytes of the text's SHA-256, in hex: shorter keys where 128 bits are plenty. */
    public static String sha256Hex(String text, int bytes) {
        return HexFormat.of().formatHex(digest("SHA-256", text), 0, bytes);
    }

    /** SHA-1, where a protocol names it (a Lua script's id in Redis). */
    public static String sha1Hex(String text) {
        return HexFormat.of().formatHex(digest("SHA-1", text));
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
    }
}
