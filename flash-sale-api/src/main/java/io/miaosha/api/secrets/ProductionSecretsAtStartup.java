package io.miaosha.api.secrets;

import io.miaosha.api.arming.ArmingConfig;
import io.miaosha.common.secrets.ProductionSecrets;
import io.miaosha.common.secrets.Setting;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * A packaged flash-sale-api refuses to start on the committed dev key pair or default secrets, or
 * without them: it signs and verifies session tokens (an admin's too), verifies admission tokens,
 * and answers the arming API. First of the startup observers, so nothing is served or scheduled.
 */
@ApplicationScoped
public class ProductionSecretsAtStartup {

    static final Setting VERIFY_KEY = new Setting("mp.jwt.verify.publickey", "MP_JWT_VERIFY_PUBLICKEY");
    static final Setting VERIFY_KEY_LOCATION = new Setting("mp.jwt.verify.publickey.location", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    static final Setting SIGNING_KEY = new Setting("smallrye.jwt.sign.key", "SMALLRYE_JWT_SIGN_KEY");
    static final Setting SIGNING_KEY_LOCATION = new Setting("smallrye.jwt.sign.key.location", "SMALLRYE_JWT_SIGN_KEY_LOCATION");
    static final Setting ADMISSION_SECRET = new Setting("miaosha.admission.secret", "MIAOSHA_ADMISSION_SECRET");
    static final Setting ARMING_API = new Setting("miaosha.arming.api-enabled", "MIAOSHA_ARMING_API_ENABLED");
    static final Setting ARMING_KEY = new Setting("miaosha.arming.key", "MIAOSHA_ARMING_KEY");

    void refuseCommittedSecrets(@Observes @Priority(1) StartupEvent event, Config config, ArmingConfig arming) {
        if (!ProductionSecrets.apply()) {
            return;
        }
        ProductionSecrets.of("flash-sale-api", config)
                .verifyKey(VERIFY_KEY, VERIFY_KEY_LOCATION)
                .signingKey(SIGNING_KEY, SIGNING_KEY_LOCATION)
                .secret(ADMISSION_SECRET, "verifying admission tokens")
                .secretWhen(arming.apiEnabled(), ARMING_API, ARMING_KEY, "the arming API (/api/internal/arming)")
                // The function holds the arming key, the gateway the admission secret: neither may hold both.
                .distinct(ARMING_KEY, ADMISSION_SECRET)
                .enforce();
    }
}
