package io.miaosha.api.admission;

import io.miaosha.api.problem.Problems;
import io.miaosha.api.purchase.PurchaseAttempt;
import io.miaosha.api.purchase.PurchaseGate;
import io.miaosha.common.admission.AdmissionTokenCodec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the waiting room's Admission-Token locally: signature, user, sale and window, about a
 * microsecond, no network. What needs the sale's state stays in purchase.lua, in the same round trip
 * as the purchase: whether the sale requires admission at all (a missing token is refused there),
 * whether this admission was already used, and whether its holder is still inside.
 */
@ApplicationScoped
public class AdmissionGate implements PurchaseGate {

    private final AdmissionTokenCodec codec;

    public AdmissionGate(AdmissionTokenCodec codec) {
        this.codec = codec;
    }

    @Override
    public void check(PurchaseAttempt attempt) {
        if (attempt.admissionToken() == null) {
            return;
        }
        try {
            codec.verifyFor(attempt.admissionToken(), attempt.userId(), attempt.saleId(), System.currentTimeMillis());
        } catch (AdmissionTokenCodec.Invalid | IllegalArgumentException invalid) {
            throw new Problems.AdmissionInvalid(invalid.getMessage());
        }
    }
}
