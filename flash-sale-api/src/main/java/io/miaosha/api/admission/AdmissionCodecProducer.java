package io.miaosha.api.admission;

import io.miaosha.common.admission.AdmissionConfig;
import io.miaosha.common.admission.AdmissionTokenCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** One codec per instance: it holds the secret and a cached Mac per thread. */
public class AdmissionCodecProducer {

    @Produces
    @ApplicationScoped
    AdmissionTokenCodec codec(AdmissionConfig config) {
        return new AdmissionTokenCodec(config.secret().orElse(null));
    }
}
