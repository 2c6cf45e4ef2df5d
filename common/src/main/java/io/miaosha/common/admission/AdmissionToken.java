package io.miaosha.common.admission;

/**
 * The waiting room's pass: this user may buy in this sale until {@code expiresAtMs} (the end of the
 * shopping window). The id is unique per admission, so a purchase can record it and refuse a replay.
 */
public record AdmissionToken(long userId, long saleId, long expiresAtMs, String id) {

    public AdmissionToken {
        if (userId <= 0 || saleId <= 0) {
            throw new IllegalArgumentException("userId and saleId must be positive");
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
    }

    /**
     * The id of the admission of this user to this sale whose window ends at {@code windowEndMs}.
     * Deterministic, so any gateway instance can mint the same token again (a reconnect, a crash
     * between admitting and telling) and a purchase with either copy counts as the same admission.
     */
    public static AdmissionToken forAdmission(long userId, long saleId, long windowEndMs) {
        return new AdmissionToken(userId, saleId, windowEndMs, saleId + "-" + userId + "-" + windowEndMs);
    }
}
