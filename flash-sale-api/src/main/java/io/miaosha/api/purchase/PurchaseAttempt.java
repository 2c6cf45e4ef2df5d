package io.miaosha.api.purchase;

import io.miaosha.api.problem.Problems;
import java.util.regex.Pattern;

/**
 * One validated purchase request: who, which sale, how many, and the optional idempotency key and
 * admission token (the waiting room's pass; checked by the {@link io.miaosha.api.admission.AdmissionGate}).
 * {@code emailVerified}: the buyer's session says its email is confirmed (what a verified-only sale asks).
 */
public record PurchaseAttempt(long saleId, long userId, int quantity, String idempotencyKey, String admissionToken,
        boolean emailVerified) {

    /** An attempt of a session that does not say its email is confirmed. */
    public PurchaseAttempt(long saleId, long userId, int quantity, String idempotencyKey, String admissionToken) {
        this(saleId, userId, quantity, idempotencyKey, admissionToken, false);
    }

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public PurchaseAttempt {
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw new Problems.InvalidRequest(
                    "Idempotency-Key must be 1 to 64 characters of letters, digits, '.', '_', ':' or '-'");
        }
    }

    /** Whether a header value could be an Idempotency-Key at all (the sold-out shortcut asks before parsing). */
    public static boolean isWellFormedKey(String idempotencyKey) {
        return KEY.matcher(idempotencyKey).matches();
    }

    /**
     * What the body asked for, in one canonical spelling (the body's only field is the quantity), stored
     * with the idempotency record: a retry with the same key must ask for the same thing.
     */
    public String fingerprint() {
        return "quantity=" + quantity;
    }
}
