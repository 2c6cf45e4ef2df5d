package io.miaosha.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * What {@code local_secrets} (scripts/lib/secrets.sh) does for the run command, for tests that start
 * packaged services: a new RSA key pair for the session tokens (PEM files in a directory of its own)
 * and random admission, lottery and arming secrets, as the environment variables the services read.
 * Packaged services refuse the committed dev ones, so every such test brings its own.
 */
public final class FreshSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path privateKey;
    private final Path publicKey;
    private final PrivateKey signingKey;
    private final String admissionSecret = random();
    private final String lotteryKey = random();
    private final String armingKey = random();
    private final String powKey = random();

    private FreshSecrets(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        signingKey = pair.getPrivate();
        privateKey = pem(dir.resolve("privateKey.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
        publicKey = pem(dir.resolve("publicKey.pem"), "PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** New secrets, the key pair in a new temporary directory. */
    public static FreshSecrets generate() {
        try {
            return new FreshSecrets(Files.createTempDirectory("miaosha-secrets-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM can make an RSA key pair", e);
        }
    }

    /** The variables local_secrets exports: what flash-sale-api, queue-gateway and the function read. */
    public Map<String, String> environment() {
        return Map.of(
                "SMALLRYE_JWT_SIGN_KEY_LOCATION", privateKey.toString(),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString(),
                "MIAOSHA_ADMISSION_SECRET", admissionSecret,
                "MIAOSHA_LOTTERY_KEY", lotteryKey,
                "MIAOSHA_ARMING_KEY", armingKey,
                "MIAOSHA_POW_KEY", powKey);
    }

    public Path privateKeyPem() { return privateKey; }
    public Path publicKeyPem() { return publicKey; }
    public PrivateKey signingKey() { return signingKey; }
    public String admissionSecret() { return admissionSecret; }
    public String armingKey() { return armingKey; }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
