package io.miaosha.functions.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Reads a Secrets Manager secret's string once, with a client that lives only for that call: the
 * functions read their secrets once per cold start, so keeping a client around buys nothing. Static
 * because the SMTP credentials are read by a config source, before CDI exists.
 */
public final class SecretStrings {

    private SecretStrings() {
    }

    /** The secret's string, or null when it holds none; {@code endpoint} replaces the regional one (tests). */
    public static String read(String secretArn, Region region, Optional<URI> endpoint) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint.ifPresent(builder::endpointOverride);
        try (SecretsManagerClient secrets = builder.build()) {
            return secrets.getSecretValue(request -> request.secretId(secretArn)).secretString();
        }
    }
}
