package io.miaosha.functions.schedule;

import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

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
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        config.secretsManagerEndpoint().ifPresent(builder::endpointOverride);
        try (SecretsManagerClient secrets = builder.build()) {
            String key = secrets.getSecretValue(request -> request.secretId(arn)).secretString();
            if (key == null || key.isBlank()) {
                throw new IllegalStateException("the arming key secret " + arn + " holds no string");
            }
            return key;
        }
    }
}
