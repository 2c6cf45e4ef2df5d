package io.miaosha.functions.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.functions.aws.SecretStrings;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;
import software.amazon.awssdk.regions.Region;

/**
 * The mailer's SMTP username and password from a Secrets Manager secret holding
 * {@code {"username": ..., "password": ...}} (SES SMTP credentials, which an operator puts in by hand).
 * Read on first use and kept for the life of the Lambda environment: one Secrets Manager call per
 * cold start, so credentials put in or rotated reach new environments without a deploy.
 *
 * <p>Ordinal 275: above application.properties (250), whose {@code ${MIAOSHA_SMTP_USERNAME:}} values
 * it replaces, and below environment variables (300), so an explicit QUARKUS_MAILER_USERNAME still wins.
 */
final class SmtpCredentialsConfigSource implements ConfigSource {

    static final String USERNAME = "quarkus.mailer.username";
    static final String PASSWORD = "quarkus.mailer.password";

    private final String secretArn;
    private final Optional<URI> endpoint;
    private volatile Map<String, String> credentials;

    SmtpCredentialsConfigSource(String secretArn, Optional<URI> endpoint) {
        this.secretArn = secretArn;
        this.endpoint = endpoint;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(USERNAME, PASSWORD);
    }

    @Override
    public String getValue(String propertyName) {
        if (!USERNAME.equals(propertyName) && !PASSWORD.equals(propertyName)) {
            return null;
        }
        Map<String, String> read = credentials;
        if (read == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = read();
                }
                read = credentials;
            }
        }
        return read.get(propertyName);
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    @Override
    public String getName() {
        return "SmtpCredentials[" + secretArn + "]";
    }

    private Map<String, String> read() {
        // The secret's own region: the function needs no region setting of its own for it.
        String[] arn = secretArn.split(":");
        if (arn.length < 7 || !arn[0].equals("arn") || !arn[2].equals("secretsmanager")) {
            throw new IllegalStateException("MIAOSHA_SMTP_CREDENTIALS_SECRET_ARN is not a Secrets Manager secret ARN: " + secretArn);
        }
        String secret = SecretStrings.read(secretArn, Region.of(arn[3]), endpoint);
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(secret == null ? "" : secret);
        } catch (IOException e) {
            json = null;
        }
        String username = field(json, "username");
        String password = field(json, "password");
        if (username == null || password == null) {
            // Never the secret's text: it may hold a password.
            throw new IllegalStateException("the SMTP credentials secret " + secretArn
                    + " must hold JSON {\"username\": ..., \"password\": ...} (see infra-cdk/README.md)");
        }
        return Map.of(USERNAME, username, PASSWORD, password);
    }

    private static String field(JsonNode json, String name) {
        JsonNode value = json == null ? null : json.get(name);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
