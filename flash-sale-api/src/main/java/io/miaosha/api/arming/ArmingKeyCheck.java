package io.miaosha.api.arming;

import io.miaosha.api.problem.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Decides whether a caller holds the shared arming key. Both sides are hashed before a
 * {@link MessageDigest#isEqual constant-time} comparison, so neither the time taken nor the length
 * compared tells a caller how close a guess was. The key itself is never logged or echoed.
 */
@ApplicationScoped
public class ArmingKeyCheck {

    public static final String HEADER = "X-Miaosha-Arming-Key";

    private final Optional<byte[]> expected;

    public ArmingKeyCheck(ArmingConfig config) {
        this.expected = config.apiEnabled()
                ? config.key().filter(key -> !key.isBlank()).map(ArmingKeyCheck::sha256)
                : Optional.empty();
    }

    /** Returns normally only for the configured key; otherwise throws the problem that says why not. */
    public void require(String presented) {
        if (expected.isEmpty()) {
            throw new Problems.ArmingDisabled();
        }
        if (presented == null || presented.isBlank()) {
            throw new Problems.ArmingKeyRequired(HEADER);
        }
        if (!MessageDigest.isEqual(expected.get(), sha256(presented))) {
            throw new Problems.ArmingKeyInvalid(HEADER);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
