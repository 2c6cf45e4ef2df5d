package io.miaosha.common.secrets;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each refusal of the production profile, and a configuration of fresh secrets that passes. */
class ProductionSecretsTest {

    static final Setting VERIFY = new Setting("mp.jwt.verify.publickey", "MP_JWT_VERIFY_PUBLICKEY");
    static final Setting VERIFY_AT = new Setting("mp.jwt.verify.publickey.location", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
    static final Setting SIGN = new Setting("smallrye.jwt.sign.key", "SMALLRYE_JWT_SIGN_KEY");
    static final Setting SIGN_AT = new Setting("smallrye.jwt.sign.key.location", "SMALLRYE_JWT_SIGN_KEY_LOCATION");
    static final Setting ADMISSION = new Setting("miaosha.admission.secret", "MIAOSHA_ADMISSION_SECRET");
    static final Setting LOTTERY = new Setting("miaosha.lottery.key", "MIAOSHA_LOTTERY_KEY");
    static final Setting ARMING_ON = new Setting("miaosha.arming.api-enabled", "MIAOSHA_ARMING_API_ENABLED");
    static final Setting ARMING = new Setting("miaosha.arming.key", "MIAOSHA_ARMING_KEY");
    static final Path DEV_KEYS = Path.of("../flash-sale-api/src/main/resources/dev-keys");
    static final String FRESH = "c2VjcmV0LW9mLWEtcmVhbC1kZXBsb3ltZW50LWxvbmctZW5vdWdo";
    static final String OTHER = "YW5vdGhlci1yZWFsLXNlY3JldC1mb3ItdGhlLWxvdHRlcnktZHJhdw";

    @TempDir
    static Path keys;
    static Path publicKey;
    static Path privateKey;
    static Path otherPublicKey;

    @BeforeAll
    static void freshKeyPairs() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        publicKey = pem(keys.resolve("public.pem"), "PUBLIC KEY", pair.getPublic().getEncoded());
        privateKey = pem(keys.resolve("private.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
        otherPublicKey = pem(keys.resolve("other.pem"), "PUBLIC KEY", generator.generateKeyPair().getPublic().getEncoded());
    }

    @Test
    void freshKeysAndSecretsPass() {
        assertDoesNotThrow(() -> check(good()).enforce());
    }

    @Test
    void aMissingVerifyKeyIsRefusedNamingTheSetting() {
        Map<String, String> config = good();
        config.remove(VERIFY_AT.property());
        assertRefused(config, "no session-token verify key: set mp.jwt.verify.publickey.location (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION)");
    }

    @Test
    void theCommittedDevPublicKeyIsRefused() {
        Map<String, String> config = good();
        config.put(VERIFY_AT.property(), DEV_KEYS.resolve("publicKey.pem").toString());
        assertRefused(config, "mp.jwt.verify.publickey.location (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION) is the dev key pair committed");
    }

    @Test
    void theCommittedDevPublicKeyOnTheClassPathIsRefused() {
        Map<String, String> config = good();
        config.put(VERIFY_AT.property(), "classpath:dev-keys-copy/publicKey.pem");
        assertRefused(config, "is the dev key pair committed");
    }

    @Test
    void theCommittedDevPublicKeyGivenInlineIsRefused() throws Exception {
        Map<String, String> config = good();
        config.put(VERIFY.property(), Files.readString(DEV_KEYS.resolve("publicKey.pem")));
        assertRefused(config, "mp.jwt.verify.publickey (environment variable MP_JWT_VERIFY_PUBLICKEY) is the dev key pair committed");
    }

    @Test
    void theCommittedDevKeyAsAJwkSetIsRefused() throws Exception {
        var dev = ProductionSecrets.moduli(Files.readString(DEV_KEYS.resolve("publicKey.pem")), false).get(0);
        var other = ProductionSecrets.moduli(Files.readString(otherPublicKey), false).get(0);
        Map<String, String> config = good();
        config.put(VERIFY.property(), "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"" + base64Url(other) + "\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"RSA\",\"n\":\"" + base64Url(dev) + "\",\"e\":\"AQAB\"}]}");
        assertRefused(config, "is the dev key pair committed");
    }

    @Test
    void theCommittedDevPrivateKeyIsRefused() {
        Map<String, String> config = good();
        config.put(SIGN_AT.property(), "file:" + DEV_KEYS.resolve("privateKey.pem").toAbsolutePath());
        assertRefused(config, "smallrye.jwt.sign.key.location (environment variable SMALLRYE_JWT_SIGN_KEY_LOCATION) is the dev key pair committed");
    }

    @Test
    void aSigningKeyThatIsNotTheVerifyKeysPairIsRefused() {
        Map<String, String> config = good();
        config.put(VERIFY_AT.property(), otherPublicKey.toString());
        assertRefused(config, "the signing key does not belong to the verify key");
    }

    @Test
    void anUnreadableKeyIsRefused() {
        Map<String, String> config = good();
        config.put(SIGN_AT.property(), keys.resolve("nowhere.pem").toString());
        assertRefused(config, "smallrye.jwt.sign.key.location (environment variable SMALLRYE_JWT_SIGN_KEY_LOCATION) = "
                + keys.resolve("nowhere.pem") + " cannot be read");
    }

    @Test
    void aMissingAdmissionSecretIsRefused() {
        Map<String, String> config = good();
        config.remove(ADMISSION.property());
        assertRefused(config, "miaosha.admission.secret (environment variable MIAOSHA_ADMISSION_SECRET) is not set");
    }

    @Test
    void theCommittedAdmissionSecretIsRefused() {
        Map<String, String> config = good();
        config.put(ADMISSION.property(), "local-dev-admission-secret-change-me-in-production");
        assertRefused(config, "miaosha.admission.secret (environment variable MIAOSHA_ADMISSION_SECRET) is the default committed");
    }

    @Test
    void anAdmissionSecretShorterThan32BytesIsRefused() {
        Map<String, String> config = good();
        config.put(ADMISSION.property(), "x".repeat(31));
        assertRefused(config, "miaosha.admission.secret (environment variable MIAOSHA_ADMISSION_SECRET) is shorter than 32 bytes");
    }

    @Test
    void theLotteryKeyMayNotBeTheAdmissionSecret() {
        Map<String, String> config = good();
        config.put(LOTTERY.property(), FRESH);
        assertRefused(config, "miaosha.lottery.key (environment variable MIAOSHA_LOTTERY_KEY) equals miaosha.admission.secret");
    }

    @Test
    void theCommittedLotteryKeyIsRefused() {
        Map<String, String> config = good();
        config.put(LOTTERY.property(), "local-dev-lottery-key-change-me-in-production");
        assertRefused(config, "miaosha.lottery.key (environment variable MIAOSHA_LOTTERY_KEY) is the default committed");
    }

    @Test
    void noArmingKeyWhileTheArmingApiIsOnIsRefused() {
        Map<String, String> config = good();
        config.remove(ARMING.property());
        assertRefused(config, "miaosha.arming.key (environment variable MIAOSHA_ARMING_KEY) is not set while "
                + "miaosha.arming.api-enabled (environment variable MIAOSHA_ARMING_API_ENABLED) is true");
    }

    @Test
    void noArmingKeyIsFineWhenTheArmingApiIsOff() {
        Map<String, String> config = good();
        config.remove(ARMING.property());
        assertDoesNotThrow(() -> check(config, false).enforce());
    }

    @Test
    void theCommittedArmingKeyIsRefused() {
        Map<String, String> config = good();
        config.put(ARMING.property(), "local-dev-arming-key");
        assertRefused(config, "miaosha.arming.key (environment variable MIAOSHA_ARMING_KEY) is the default committed");
    }

    @Test
    void everyRefusalIsReportedAtOnce() {
        ProductionSecrets check = check(Map.of());
        assertEquals(5, check.refusals().size(), String.join("\n", check.refusals()));
    }

    private static Map<String, String> good() {
        Map<String, String> config = new HashMap<>();
        config.put(VERIFY_AT.property(), publicKey.toString());
        config.put(SIGN_AT.property(), "file:" + privateKey.toAbsolutePath());
        config.put(ADMISSION.property(), FRESH);
        config.put(LOTTERY.property(), OTHER);
        config.put(ARMING.property(), OTHER + "-arming");
        return config;
    }

    private static ProductionSecrets check(Map<String, String> values) {
        return check(values, true);
    }

    private static ProductionSecrets check(Map<String, String> values, boolean armingApi) {
        Config config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
        return ProductionSecrets.of("test-service", config)
                .verifyKey(VERIFY, VERIFY_AT)
                .signingKey(SIGN, SIGN_AT)
                .secret(ADMISSION, "signing admission tokens")
                .secret(LOTTERY, "the lottery draw")
                .distinct(LOTTERY, ADMISSION)
                .secretWhen(armingApi, ARMING_ON, ARMING, "the arming API");
    }

    private static void assertRefused(Map<String, String> config, String expected) {
        ProductionSecrets.Refused refused = assertThrows(ProductionSecrets.Refused.class, () -> check(config).enforce());
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
        List<String> refusals = check(config).refusals();
        assertEquals(1, refusals.size(), String.join("\n", refusals));
    }

    private static Path pem(Path file, String type, byte[] der) throws Exception {
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n");
        return file;
    }

    private static String base64Url(java.math.BigInteger modulus) {
        byte[] bytes = modulus.toByteArray();
        if (bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
