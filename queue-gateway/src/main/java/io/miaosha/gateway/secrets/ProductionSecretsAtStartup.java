package io.miaosha.gateway.secrets;

import io.miaosha.common.secrets.ProductionSecrets;
import io.miaosha.common.secrets.Setting;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * A packaged queue-gateway refuses to start on the committed dev key or default secrets, or without
 * them: it verifies session tokens, signs admission tokens and proof-of-work challenges, and draws the lottery. First of the
 * startup observers, so no socket is taken and no admission loop runs.
 */
@ApplicationScoped
public class ProductionSecretsAtStartup {

    static final Setting VERIFY_KEY = new Setting("mp.jwt.verify.publickey", "MP_JWT_VERIFY_PUBLICKEY");
    static final Setting VERIFY_KEY_LOCATION = new Setting("mp.jwt.verify.publickey.location", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    static final Setting ADMISSION_SECRET = new Setting("miaosha.admission.secret", "MIAOSHA_ADMISSION_SECRET");
    static final Setting LOTTERY_KEY = new Setting("miaosha.lottery.key", "MIAOSHA_LOTTERY_KEY");
    static final Setting POW_KEY = new Setting("miaosha.pow.key", "MIAOSHA_POW_KEY");

    void refuseCommittedSecrets(@Observes @Priority(1) StartupEvent event, Config config) {
        if (!ProductionSecrets.apply()) {
            return;
        }
        ProductionSecrets.of("queue-gateway", config)
                .verifyKey(VERIFY_KEY, VERIFY_KEY_LOCATION)
                .secret(ADMISSION_SECRET, "signing admission tokens")
                .secret(LOTTERY_KEY, "the lottery draw")
                .distinct(LOTTERY_KEY, ADMISSION_SECRET)
                .secret(POW_KEY, "signing the join's proof-of-work challenges")
                .distinct(POW_KEY, ADMISSION_SECRET)
                .distinct(POW_KEY, LOTTERY_KEY)
                .enforce();
    }
}
