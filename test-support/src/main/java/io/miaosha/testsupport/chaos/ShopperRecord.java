package io.miaosha.testsupport.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every shopper of a chaos storm was told, the input of {@link InvariantChecker}: one line per
 * final answer, tab-separated, written by scripts/lib/ChaosStorm.java (or a JUnit test). An answer
 * is the last one after every retry with the same Idempotency-Key; {@code none} when no answer came
 * before the driver gave up (a refused connection or a timeout is never an answer).
 *
 * <pre>
 * purchase   USER_ID  KEY  STATUS  ORDER_ID|-  PAY_BY_MS|-    final answer to a purchase
 * pay        USER_ID  KEY  STATUS  ORDER_ID    PAYMENT_ID|-   final answer to paying that order
 * replay     USER_ID  KEY  STATUS  ORDER_ID|-  -              the same purchase sent again with KEY
 * pay-replay USER_ID  KEY  STATUS  ORDER_ID    PAYMENT_ID|-   the same payment sent again with KEY
 * </pre>
 * STATUS is the HTTP status (202, 409, 200, 410, ...) or {@code none}.
 */
public record ShopperRecord(Kind kind, long userId, String key, String status, String orderId, String detail) {

    public enum Kind {
        PURCHASE("purchase"), PAY("pay"), REPLAY("replay"), PAY_REPLAY("pay-replay");

        final String word;

        Kind(String word) {
            this.word = word;
        }

        static Kind of(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no record kind " + word);
        }
    }

    public static final String NONE = "none";

    public ShopperRecord {
        if (key == null || key.isBlank() || key.contains("\t")) {
            throw new IllegalArgumentException("a record needs a key without tabs");
        }
        orderId = orderId == null || orderId.isBlank() ? "-" : orderId;
        detail = detail == null || detail.isBlank() ? "-" : detail;
    }

    public static ShopperRecord purchase(long userId, String key, String status, String orderId, Long payByMs) {
        return new ShopperRecord(Kind.PURCHASE, userId, key, status, orderId, payByMs == null ? null : payByMs.toString());
    }

    public static ShopperRecord pay(long userId, String key, String status, String orderId, String paymentId) {
        return new ShopperRecord(Kind.PAY, userId, key, status, orderId, paymentId);
    }

    public static ShopperRecord replay(long userId, String key, String status, String orderId) {
        return new ShopperRecord(Kind.REPLAY, userId, key, status, orderId, null);
    }

    public static ShopperRecord payReplay(long userId, String key, String status, String orderId, String paymentId) {
        return new ShopperRecord(Kind.PAY_REPLAY, userId, key, status, orderId, paymentId);
    }

    public boolean answered(String expected) {
        return expected.equals(status);
    }

    public boolean hasOrder() {
        return !"-".equals(orderId);
    }

    /** The pay-by time of an accepted purchase (epoch ms), or 0 when the answer had none. */
    public long payByMs() {
        return kind == Kind.PURCHASE && detail.matches("[0-9]+") ? Long.parseLong(detail) : 0;
    }

    public String line() {
        return String.join("\t", kind.word, Long.toString(userId), key, status, orderId, detail);
    }

    public static ShopperRecord parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("not a shopper record (6 tab-separated fields): " + line);
        }
        return new ShopperRecord(Kind.of(f[0]), Long.parseLong(f[1]), f[2], f[3], f[4], f[5]);
    }

    public static List<ShopperRecord> read(Path file) {
        try {
            List<ShopperRecord> records = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    records.add(parse(line));
                }
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, List<ShopperRecord> records) {
        try {
            Files.write(file, records.stream().map(ShopperRecord::line).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
