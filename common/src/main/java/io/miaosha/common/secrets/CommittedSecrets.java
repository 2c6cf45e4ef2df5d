package io.miaosha.common.secrets;

import java.util.Set;

/**
 * Every secret that is in the repository, and therefore known to anyone: the dev key pair of the
 * session tokens and the defaults the dev and test profiles (and the compose file) use for the
 * shared secrets. {@link ProductionSecrets} refuses each of them. {@code CommittedSecretsTest} walks
 * the repository and fails when a committed key or default is missing here.
 */
public final class CommittedSecrets {

    /**
     * SHA-256 over the RSA modulus (two's-complement big-endian bytes, as
     * {@link java.math.BigInteger#toByteArray()} gives them) of each committed key pair; the public
     * and the private half of a pair share it. Today one pair: {@code dev-keys/} of flash-sale-api
     * (its public half also in queue-gateway, its private half in queue-gateway's tests).
     */
    public static final Set<String> KEY_FINGERPRINTS = Set.of(
            "e76e183d2df731a936824f8213acee2662a98e2c28b044a67c430752d89e92b9");

    /** The committed defaults of the admission secret, the lottery key, the proof-of-work key and the arming key. */
    public static final Set<String> DEFAULTS = Set.of(
            "local-dev-admission-secret-change-me-in-production",
            "compose-local-admission-secret-32-bytes+",
            "local-dev-lottery-key-change-me-in-production",
            "local-dev-pow-key-change-me-in-production",
            "local-dev-arming-key",
            "test-arming-key");

    private CommittedSecrets() {
    }
}
