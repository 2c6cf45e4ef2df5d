package io.miaosha.common.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The pre-opening draw, as anyone can recompute it (the gateway draws with it, the API publishes
 * it, the web page checks it): a sale's secret seed, its public commitment, and each entrant's value
 * from the seed and the entrant's public ticket id. The seed is committed to before any entrant's
 * value is computed and revealed once the sale opens, so nobody (not even we) can steer the order
 * after the fact, and anyone can check it: SHA-256(seed) must be the commitment published before
 * opening, and the published order must be the entrants sorted by value.
 */
public final class DrawFunction {

    /** The function in one line, as the public draw endpoint publishes it. */
    public static final String DESCRIPTION = "commitment = hex(SHA-256(the 32 seed bytes)); value(ticketId) = "
            + "(first 52 bits of SHA-256(UTF-8 of seedHex + \":\" + ticketId) + 1) / (2^52 + 2), seedHex in lowercase;"
            + " entrants in ascending value (equal values by ticket id)";

    /** The seed's length in bytes (64 hex characters). */
    public static final int SEED_BYTES = 32;
    private static final double SCALE = (double) (1L << 52) + 2;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private DrawFunction() {
    }

    /** A fresh secret seed: 32 random bytes, lowercase hex. */
    public static String newSeed() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return HEX.formatHex(seed);
    }

    /** What is published before opening: SHA-256 of the seed's bytes (not of its hex text), lowercase hex. */
    public static String commitment(String seedHex) {
        byte[] seed = HEX.parseHex(seedHex);
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a seed is " + SEED_BYTES + " bytes");
        }
        return HEX.formatHex(sha256(seed));
    }

    /** The entrant's value in (0, 1): the lower, the earlier in the queue at opening. */
    public static double value(String seedHex, String ticketId) {
        return (bits(seedHex, ticketId) + 1) / SCALE;
    }

    /** The first 52 bits of SHA-256(seedHex + ":" + ticketId), as an integer in [0, 2^52). */
    public static long bits(String seedHex, String ticketId) {
        byte[] digest = sha256((seedHex.toLowerCase(java.util.Locale.ROOT) + ":" + ticketId).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong() >>> 12;
    }

    /** The published order: the ticket ids by ascending value, equal values by ticket id. */
    public static List<String> order(String seedHex, Collection<String> ticketIds) {
        record Valued(String ticketId, long bits) {
        }
        return ticketIds.stream().map(id -> new Valued(id, bits(seedHex, id)))
                .sorted(Comparator.comparingLong(Valued::bits).thenComparing(Valued::ticketId))
                .map(Valued::ticketId).toList();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
