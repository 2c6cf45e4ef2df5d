import io.miaosha.common.admission.AdmissionToken;
import io.miaosha.common.admission.AdmissionTokenCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * How long one admission-token check costs on this machine: the HS256 codec the API uses, against
 * the RSA signature check alone that an RS256 token would need (before any JSON parsing).
 *
 *   java -cp common/target/classes loadtest/queue/TokenBench.java
 */
public class TokenBench {

    public static void main(String[] args) throws Exception {
        AdmissionTokenCodec codec = new AdmissionTokenCodec("local-dev-admission-secret-change-me-in-production");
        long window = System.currentTimeMillis() + 600_000;
        String token = codec.sign(AdmissionToken.forAdmission(123456, 42, window));
        long now = System.currentTimeMillis();
        int n = 2_000_000;
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += codec.verifyFor(token, 123456, 42, now).expiresAtMs();
            }
            double ns = (System.nanoTime() - start) / (double) n;
            System.out.printf("HS256 codec verify: %.0f ns/op (%.0f per second per core)%n", ns, 1e9 / ns);
        }

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        byte[] input = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.getPrivate());
        signer.update(input);
        byte[] rsa = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        int m = 50_000;
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < m; i++) {
                verifier.initVerify(keys.getPublic());
                verifier.update(input);
                sink += verifier.verify(rsa) ? 1 : 0;
            }
            double ns = (System.nanoTime() - start) / (double) m;
            System.out.printf("RS256 signature check alone: %.0f ns/op (%.0f per second per core)%n", ns, 1e9 / ns);
        }
        System.out.println("(sink " + sink + ")");
    }
}
