package io.miaosha.common.admission;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The admission secret, one mapping for both of its holders: queue-gateway signs admission tokens
 * with it, flash-sale-api verifies them.
 */
@ConfigMapping(prefix = "miaosha.admission")
public interface AdmissionConfig {

    /**
     * HS256 secret; at least 32 bytes. Optional so that a packaged instance without it stops at its
     * {@code ProductionSecretsAtStartup}, whose message names the environment variable, rather than
     * at a bare "property required".
     */
    Optional<String> secret();
}
