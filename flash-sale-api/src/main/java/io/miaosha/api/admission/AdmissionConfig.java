package io.miaosha.api.admission;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "miaosha.admission")
public interface AdmissionConfig {

    /** HS256 secret shared with queue-gateway (which signs the tokens); at least 32 bytes. */
    String secret();
}
