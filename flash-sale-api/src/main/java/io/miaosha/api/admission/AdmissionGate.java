package io.miaosha.api.admission;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.admission.AdmissionTokenCodec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the waiting room's Admission-Token locally: signature, user, sale and window, about a
 * microsecond, no network. What needs the sale's state stays in purchase.lua, in the same round trip
 * as the purchase: whether the sale requires admission at all (a missing token is refused there),
 * whether this admission was already used, and whether its holder is still inside. The claims
 * returned here are what the script records, so a token is verified once per purchase.
 */
@ApplicationScoped
public class AdmissionGate {

    private final AdmissionTokenCodec codec;

    public AdmissionGate(AdmissionTokenCodec codec) {
        this.codec = codec;
    }

    /** The token's claims, null when no token was sent; refuses with {@link Problems.AdmissionInvalid}. */
    public AdmissionToken check(String token, long userId, long saleId) {
        if (token == null) {
            return null;
        }
        try {
            return codec.verifyFor(token, userId, saleId, System.currentTimeMillis());
        } catch (AdmissionTokenCodec.Invalid | IllegalArgumentException invalid) {
            throw new Problems.AdmissionInvalid(invalid.getMessage());
        } catch (RuntimeException malformed) {
            // A payload the codec could not scan (say, a claim without its closing quote): still the client's token.
            throw new Problems.AdmissionInvalid("malformed");
        }
    }
}
