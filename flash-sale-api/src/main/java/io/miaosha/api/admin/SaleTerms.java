package io.miaosha.api.admin;

import io.miaosha.api.problem.Problems;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The terms of a sale as an admin submits them (create and full update). */
public record SaleTerms(
        // Messages follow the field name ("stock must be at least 1"): the storefront puts its label first.
        @NotNull(message = "is required: choose a product") Long productId,
        @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String title,
        @NotNull(message = "is required, in minor units (1999 for 19.99)") @Min(value = 0, message = "cannot be negative")
        @Max(value = 100_000_000_00L, message = "must be at most 100000000.00") Long priceMinor,
        @NotNull(message = "is required") @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
        @NotNull(message = "is required") @Min(value = 1, message = "must be greater than 0")
        @Max(value = 10_000_000, message = "must be at most 10000000") Integer stock,
        @NotNull(message = "is required") Instant opensAt,
        @NotNull(message = "is required") Instant closesAt,
        @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1") @Max(value = 1000, message = "must be at most 1000") Integer perUserLimit,
        @NotNull(message = "is required") @Min(value = 1, message = "must be at least 1")
        @Max(value = 1_000_000, message = "must be at most 1000000") Integer queueCapacity,
        @Min(value = 30, message = "must be at least 30 seconds") @Max(value = 86_400, message = "must be at most 86400 seconds (a day)") Integer windowSeconds,
        @Min(value = 30, message = "must be at least 30 seconds") @Max(value = 86_400, message = "must be at most 86400 seconds (a day)") Integer holdSeconds,
        Boolean queueEnabled,
        Boolean verifiedEmailOnly) {

    public static final int DEFAULT_WINDOW_SECONDS = 600;
    public static final int DEFAULT_HOLD_SECONDS = 300;

    /**
     * The dates a sale may have: what MySQL's DATETIME can store (years 1000 to 9999) narrowed to
     * what a shop could mean. Checked here, before the database sees them: a date it cannot store
     * must never reach it (a lenient server stores a zero date, and that row broke every listing).
     */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** MySQL keeps milliseconds (DATETIME(3)); finer digits would be cut silently, so they are cut here, visibly. */
    public SaleTerms {
        opensAt = opensAt == null ? null : opensAt.truncatedTo(ChronoUnit.MILLIS);
        closesAt = closesAt == null ? null : closesAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Cross-field rules and ranges that annotations cannot say. */
    public SaleTerms checked() {
        inRange("opensAt", opensAt);
        inRange("closesAt", closesAt);
        if (!closesAt.isAfter(opensAt)) {
            throw invalid("closesAt", "must be after opensAt");
        }
        return this;
    }

    private static void inRange(String field, Instant value) {
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw invalid(field, "must be between " + EARLIEST + " and " + LATEST + " (UTC)");
        }
    }

    private static Problems.InvalidRequest invalid(String field, String message) {
        return new Problems.InvalidRequest(field + " " + message, List.of(Map.of("field", field, "message", message)));
    }

    public int windowOrDefault() {
        return windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds;
    }

    /** Off unless asked for: buying then needs no admission token (the waiting room is opt-in per sale). */
    public boolean queueEnabledOrDefault() {
        return queueEnabled != null && queueEnabled;
    }

    /** Off unless asked for: only accounts with a confirmed email may then join and buy. */
    public boolean verifiedEmailOnlyOrDefault() {
        return verifiedEmailOnly != null && verifiedEmailOnly;
    }

    public int holdOrDefault() {
        return holdSeconds == null ? DEFAULT_HOLD_SECONDS : holdSeconds;
    }
}
