package io.miaosha.api.problem;

import java.util.List;
import java.util.Map;

/**
 * Reads path and query values strictly, so one value has one spelling. JAX-RS would turn "+3", "03"
 * and "٣" (an Arabic-Indic three) into sale 3 and an unconvertible number into a bare 404; here each
 * of those is a 400 that names the value. (Empty query values are refused by {@link AmbiguousRequests}.)
 */
public final class RequestValues {

    /** Long.MAX_VALUE has 19 digits. */
    private static final int MAX_ID_DIGITS = 19;

    private RequestValues() {
    }

    /** A positive id in plain ASCII digits without sign or leading zero, as the API writes ids itself. */
    public static long id(String name, String raw) {
        String rule = "must be a positive whole number in plain digits, such as 42";
        if (raw == null || raw.isEmpty() || raw.length() > MAX_ID_DIGITS || raw.charAt(0) == '0') {
            throw invalid(name, raw, rule);
        }
        long value = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(name, raw, rule);
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                throw invalid(name, raw, rule); // past Long.MAX_VALUE
            }
        }
        return value;
    }

    /** An optional whole number within bounds; absent means {@code absent}, present but empty is refused. */
    public static int boundedInt(String name, String raw, int absent, int min, int max) {
        if (raw == null) {
            return absent;
        }
        String rule = "must be a whole number from " + min + " to " + max + " (leave it out for " + absent + ")";
        if (raw.isEmpty() || raw.length() > 10) {
            throw invalid(name, raw, rule);
        }
        int value = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9' || (i == 0 && c == '0' && raw.length() > 1)) {
                throw invalid(name, raw, rule);
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                throw invalid(name, raw, rule);
            }
        }
        if (value < min) {
            throw invalid(name, raw, rule);
        }
        return value;
    }

    private static Problems.InvalidRequest invalid(String name, String raw, String rule) {
        String shown = raw == null ? "nothing" : "'" + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + "'";
        return new Problems.InvalidRequest(name + " " + rule + "; got " + shown + ".",
                List.of(Map.of("field", name, "message", rule)));
    }
}
