package io.miaosha.functions.email;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Adds {@link SmtpCredentialsConfigSource} when {@code miaosha.mail.smtp-credentials-secret-arn} names
 * a secret (the email function in AWS). A config source rather than a bean because quarkus-mailer
 * takes its username and password from configuration only, when it starts. Without the ARN (the local
 * run, the tests, the scheduled-start function) it adds nothing and MIAOSHA_SMTP_USERNAME/PASSWORD stand.
 * Registered in META-INF/services.
 */
public class SmtpCredentialsConfigSourceFactory implements ConfigSourceFactory {

    static final String SECRET_ARN = "miaosha.mail.smtp-credentials-secret-arn";
    /** Another Secrets Manager endpoint (tests); the SDK's regional endpoint when absent. */
    static final String ENDPOINT = "miaosha.mail.secrets-manager-endpoint";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // Quarkus reads every configured value while it builds the application too: the secret is
        // read only when the application starts, never during (or into) a build.
        ExecutionMode mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of();
        }
        Optional<String> arn = value(context, SECRET_ARN);
        if (arn.isEmpty()) {
            return List.of();
        }
        return List.of(new SmtpCredentialsConfigSource(arn.get(), value(context, ENDPOINT).map(URI::create)));
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).map(String::strip).filter(v -> !v.isEmpty());
    }
}
