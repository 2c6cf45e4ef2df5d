package io.miaosha.api.purchase;

import io.miaosha.api.problem.Problems;
import java.util.regex.Pattern;

/**
 * One validated purchase request: who, which sale, how many, and the optional idempotency key and
 * admission token (the waiting room's pass; checked by a {@link PurchaseGate}).
 */
public record PurchaseAttempt(long saleId, long userId, int quantity, String idempotencyKey, String admissionToken) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public PurchaseAttempt {
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw new Problems.InvalidRequest(
                    "Idempotency-Key must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-'");
        }
    }
}
