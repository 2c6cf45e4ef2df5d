package io.miaosha.functions.schedule;

import io.miaosha.common.secrets.ProductionSecrets;
import io.miaosha.common.secrets.Setting;
import io.miaosha.functions.aws.SecretStrings;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The shared key the API's arming endpoints ask for. Read on first use and kept for the life of
 * the Lambda environment: one Secrets Manager call per cold start, not one per minute. Read lazily
 * because the email function deploys the same package and may not read the secret at all.
 *
 * <p>Packaged, it refuses a committed or short key like the API does ({@link ProductionSecrets}): a key
 * given directly at startup (the environment starts no function with it), one read from the secret at
 * first use (that call fails and says why).
 */
@ApplicationScoped
public class ArmingKey {

    static final Setting KEY = new Setting("miaosha.schedule.arming-key", "MIAOSHA_ARMING_KEY");
    static final Setting KEY_SECRET = new Setting("miaosha.schedule.arming-key-secret-arn", "MIAOSHA_ARMING_KEY_SECRET_ARN");
    private static final String PURPOSE = "calling the API's arming endpoints";

    private final ScheduleConfig config;
    private volatile String value;

    public ArmingKey(ScheduleConfig config) {
        this.config = config;
    }

    void refuseCommittedKey(@Observes @Priority(1) StartupEvent event) {
        Optional<String> direct = config.armingKey().filter(key -> !key.isBlank());
        if (ProductionSecrets.apply() && direct.isPresent()) {
            ProductionSecrets.of("the scheduled-start function", ConfigProvider.getConfig()).secret(KEY, direct, PURPOSE).enforce();
        }
    }

    public String value() {
        String key = value;
        if (key == null) {
            synchronized (this) {
                if (value == null) {
                    value = read();
                }
                key = value;
            }
        }
        return key;
    }

    private String read() {
        if (config.armingKey().filter(key -> !key.isBlank()).isPresent()) {
            return config.armingKey().get();
        }
        String arn = config.armingKeySecretArn().filter(name -> !name.isBlank()).orElseThrow(() -> new IllegalStateException(
                "no arming key: set MIAOSHA_ARMING_KEY, or MIAOSHA_ARMING_KEY_SECRET_ARN to the secret that holds it"));
        String key = SecretStrings.read(arn, Region.of(config.region()), config.secretsManagerEndpoint());
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("the arming key secret " + arn + " holds no string");
        }
        if (ProductionSecrets.apply()) {
            ProductionSecrets.of("the scheduled-start function", ConfigProvider.getConfig())
                    .secret(KEY_SECRET, Optional.of(key), "the arming key in secret " + arn).enforce();
        }
        return key;
    }
}
