package io.miaosha.api.admin;

import io.miaosha.api.problem.Problems;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** The terms of a sale as an admin submits them (create and full update). */
public record SaleTerms(
        @NotNull Long productId,
        @NotBlank @Size(max = 200) String title,
        @NotNull @Min(0) @Max(100_000_000_00L) Long priceMinor,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
        @NotNull @Min(value = 1, message = "must be greater than 0") @Max(10_000_000) Integer stock,
        @NotNull Instant opensAt,
        @NotNull Instant closesAt,
        @NotNull @Min(1) @Max(1000) Integer perUserLimit,
        @NotNull @Min(1) @Max(1_000_000) Integer queueCapacity,
        @Min(30) @Max(86_400) Integer windowSeconds,
        @Min(30) @Max(86_400) Integer holdSeconds,
        Boolean queueEnabled) {

    public static final int DEFAULT_WINDOW_SECONDS = 600;
    public static final int DEFAULT_HOLD_SECONDS = 300;

    /** Cross-field rules that annotations cannot say. */
    public SaleTerms checked() {
        if (!closesAt.isAfter(opensAt)) {
            throw new Problems.InvalidRequest("closesAt must be after opensAt");
        }
        return this;
    }

    public int windowOrDefault() {
        return windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds;
    }

    /** Off unless asked for: buying then needs no admission token (the waiting room is opt-in per sale). */
    public boolean queueEnabledOrDefault() {
        return queueEnabled != null && queueEnabled;
    }

    public int holdOrDefault() {
        return holdSeconds == null ? DEFAULT_HOLD_SECONDS : holdSeconds;
    }
}
