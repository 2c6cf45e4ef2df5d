package io.miaosha.functions.schedule;

import io.miaosha.functions.aws.SecretStrings;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.regions.Region;

/**
 * The shared key the API's arming endpoints ask for. Read on first use and kept for the life of
 * the Lambda environment: one Secrets Manager call per cold start, not one per minute. Read lazily
 * because the email function deploys the same package and may not read the secret at all.
 */
@ApplicationScoped
public class ArmingKey {

    private final ScheduleConfig config;
    private volatile String value;

    public ArmingKey(ScheduleConfig config) {
        this.config = config;
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
        return key;
    }
}
