package io.miaosha.gateway.admission;

import io.miaosha.common.admission.AdmissionConfig;
import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.admission.AdmissionTokenCodec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Mints admission tokens. A token is a pure function of (user, sale, window end), so every instance
 * mints the same one for the same admission: the instance that admitted needs no hand-off, and a
 * reconnect to any instance gets the token again.
 */
@ApplicationScoped
public class AdmissionSigner {

    private final AdmissionTokenCodec codec;

    public AdmissionSigner(AdmissionConfig config) {
        this.codec = new AdmissionTokenCodec(config.secret().orElse(null));
    }

    public String sign(long userId, long saleId, long windowEndMs) {
        return codec.sign(AdmissionToken.forAdmission(userId, saleId, windowEndMs));
    }
}
