package io.miaosha.common.secrets;

import io.quarkus.runtime.LaunchMode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * What a packaged service refuses to start with. The dev and test profiles run on the committed dev
 * key pair and default secrets; a packaged application (the production profile, whatever profile it
 * is told to use) must not, because anyone with the repository could then mint admin session
 * tokens, admission tokens or lottery draws. Each service names the settings it reads and calls
 * {@link #enforce()} from a startup observer; every refusal is reported at once, each naming the
 * setting and the environment variable that sets it.
 *
 * <p>Refused: a session key (verify or signing) that is missing, unreadable, not RSA, one of the
 * {@link CommittedSecrets#KEY_FINGERPRINTS committed keys}, or (both given) not one pair; a shared
 * secret shorter than {@value #MIN_SECRET_BYTES} bytes or equal to a
 * {@link CommittedSecrets#DEFAULTS committed default}; two secrets that must differ but are equal.
 * Keys behind an http(s) location (a JWKS endpoint) are not fetched, so not fingerprinted.
 */
public final class ProductionSecrets {

    /** HS256 wants a key at least as long as its hash: 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
    private static final Pattern JWK_MODULUS = Pattern.compile("\"n\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");

    private final String service;
    private final Config config;
    private final List<String> refusals = new ArrayList<>();
    private Optional<BigInteger> verifyModulus = Optional.empty();
    private Optional<BigInteger> signingModulus = Optional.empty();

    private ProductionSecrets(String service, Config config) {
        this.service = service;
        this.config = config;
    }

    /** Dev mode and tests run on the committed secrets on purpose; everything else is checked. */
    public static boolean apply() {
        return !LaunchMode.current().isDevOrTest();
    }

    public static ProductionSecrets of(String service, Config config) {
        return new ProductionSecrets(service, config);
    }

    /** The public key that verifies session tokens: a PEM (or JWK) given inline or by location. */
    public ProductionSecrets verifyKey(Setting inline, Setting location) {
        verifyModulus = rsaKey("session-token verify key", inline, location, false);
        return this;
    }

    /** The private key that signs session tokens; must pair with the verify key when both are given. */
    public ProductionSecrets signingKey(Setting inline, Setting location) {
        signingModulus = rsaKey("session-token signing key", inline, location, true);
        if (verifyModulus.isPresent() && signingModulus.isPresent() && !verifyModulus.equals(signingModulus)) {
            refusals.add(location + ": the signing key does not belong to the verify key; tokens this instance "
                    + "signs would not verify. Use the two halves of one key pair.");
        }
        return this;
    }

    /** A shared secret (HMAC key or API key): present, at least 32 bytes, not a committed default. */
    public ProductionSecrets secret(Setting setting, String purpose) {
        return secret(setting, value(setting), purpose);
    }

    /** As {@link #secret(Setting, String)}, for a value read from elsewhere (a Secrets Manager secret). */
    public ProductionSecrets secret(Setting setting, Optional<String> value, String purpose) {
        value = value.filter(text -> !text.isBlank());
        if (value.isEmpty()) {
            refusals.add(setting + " is not set: " + purpose + " needs a secret of at least " + MIN_SECRET_BYTES
                    + " bytes (e.g. openssl rand -hex 32).");
        } else if (CommittedSecrets.DEFAULTS.contains(value.get())) {
            refusals.add(setting + " is the default committed to the repository; anyone can read it. Set your own "
                    + "secret of at least " + MIN_SECRET_BYTES + " bytes (e.g. openssl rand -hex 32).");
        } else if (value.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            refusals.add(setting + " is shorter than " + MIN_SECRET_BYTES + " bytes; " + purpose
                    + " needs at least " + MIN_SECRET_BYTES + " (e.g. openssl rand -hex 32).");
        }
        return this;
    }

    /** As {@link #secret}, but only when the feature that uses it is on. */
    public ProductionSecrets secretWhen(boolean enabled, Setting switchSetting, Setting setting, String purpose) {
        if (enabled && value(setting).isEmpty()) {
            refusals.add(setting + " is not set while " + switchSetting + " is true: " + purpose + " needs a secret "
                    + "of at least " + MIN_SECRET_BYTES + " bytes, or set " + switchSetting.environmentVariable()
                    + "=false to turn it off.");
            return this;
        }
        return enabled ? secret(setting, purpose) : this;
    }

    /** Two secrets that guard different things must not be one secret. */
    public ProductionSecrets distinct(Setting one, Setting other) {
        Optional<String> first = value(one);
        if (first.isPresent() && first.equals(value(other))) {
            refusals.add(one + " equals " + other + "; give each its own secret, so that knowing one "
                    + "does not give away the other.");
        }
        return this;
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Returns normally only when nothing was refused. */
    public void enforce() {
        if (!refusals.isEmpty()) {
            throw new Refused(service + " refuses to start with these secrets (see its README, Configuration):\n  - "
                    + String.join("\n  - ", refusals));
        }
    }

    private Optional<BigInteger> rsaKey(String what, Setting inline, Setting location, boolean privateKey) {
        Optional<String> text = value(inline);
        Setting source = inline;
        if (text.isEmpty()) {
            Optional<String> where = value(location);
            if (where.isEmpty()) {
                refusals.add("no " + what + ": set " + location + " to the PEM file of your own key (or "
                        + inline + " to the PEM itself).");
                return Optional.empty();
            }
            if (where.get().startsWith("http:") || where.get().startsWith("https:")) {
                return Optional.empty();
            }
            source = location;
            try {
                text = Optional.of(read(where.get()));
            } catch (IOException e) {
                refusals.add(location + " = " + where.get() + " cannot be read (" + e.getMessage() + ").");
                return Optional.empty();
            }
        }
        List<BigInteger> moduli;
        try {
            moduli = moduli(text.get(), privateKey);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            refusals.add(source + " is not an RSA " + (privateKey ? "private key (PKCS#8 PEM)" : "public key (PEM or JWK)")
                    + ": " + e.getMessage());
            return Optional.empty();
        }
        if (moduli.isEmpty()) {
            refusals.add(source + " holds no RSA " + (privateKey ? "private" : "public") + " key.");
            return Optional.empty();
        }
        if (moduli.stream().map(ProductionSecrets::fingerprint).anyMatch(CommittedSecrets.KEY_FINGERPRINTS::contains)) {
            refusals.add(source + " is the dev key pair committed to the repository; anyone could sign session "
                    + "tokens (admin ones too) with it. Generate your own pair (openssl genpkey -algorithm RSA "
                    + "-pkeyopt rsa_keygen_bits:2048) and point " + location.environmentVariable() + " at it.");
            return Optional.empty();
        }
        return Optional.of(moduli.get(0));
    }

    private Optional<String> value(Setting setting) {
        return config.getOptionalValue(setting.property(), String.class).filter(value -> !value.isBlank());
    }

    /** The lookup order of smallrye-jwt's ResourceUtils: file: and classpath: prefixes, else file then class path. */
    private static String read(String location) throws IOException {
        if (location.startsWith("classpath:")) {
            return classpath(location.substring("classpath:".length()));
        }
        Path path = location.startsWith("file:") ? Path.of(URI.create(location).getPath()) : Path.of(location);
        if (Files.isRegularFile(path)) {
            return Files.readString(path, StandardCharsets.US_ASCII);
        }
        if (location.startsWith("file:")) {
            throw new IOException("no such file");
        }
        return classpath(location);
    }

    private static String classpath(String resource) throws IOException {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("neither a file nor a class-path resource");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** The RSA moduli of a PEM (PKCS#8 private or X.509 public key) or of every key of a JWK (set). */
    static List<BigInteger> moduli(String text, boolean privateKey) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        Matcher pem = PEM.matcher(text);
        if (pem.find()) {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2).strip());
            return List.of(privateKey
                    ? ((RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der))).getModulus()
                    : ((RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der))).getModulus());
        }
        List<BigInteger> moduli = new ArrayList<>();
        Matcher jwk = JWK_MODULUS.matcher(text);
        while (jwk.find()) {
            moduli.add(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.group(1))));
        }
        return moduli;
    }

    /** See {@link CommittedSecrets#KEY_FINGERPRINTS}. */
    static String fingerprint(BigInteger modulus) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(modulus.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Thrown at startup: the message lists every refused setting. */
    public static final class Refused extends IllegalStateException {
        public Refused(String message) {
            super(message, null);
        }
    }
}
