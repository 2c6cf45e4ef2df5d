package io.miaosha.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Mints RS256 session tokens with the claims flash-sale-api's SessionTokens writes (iss, sub, upn,
 * groups, iat, exp, jti), so a test or a benchmark acts as any number of shoppers without a log-in
 * (and bcrypt) each; and the broken tokens an attacker or a stale client sends. JDK only, so the
 * scripts' source-launched tools use it too ({@code java -cp test-support/target/classes ...}).
 *
 * <pre>
 * java -cp test-support/target/classes io.miaosha.testsupport.SessionTokens KEY.pem [--for SECONDS] [USER_ID [EMAIL]]
 * </pre>
 * prints one shopper's token, or without USER_ID one token per "USER_ID [EMAIL]" line of standard input.
 */
public final class SessionTokens {

    public static final String ISSUER = "https://miaosha.dev";
    /** The key pair committed for the dev and test profiles (on the services' class path). */
    public static final String DEV_KEY_RESOURCE = "dev-keys/privateKey.pem";

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final Duration lifetime;

    private SessionTokens(PrivateKey key, Duration lifetime) {
        this.key = key;
        this.lifetime = lifetime;
    }

    /** Signed with the committed dev key, as the services under @QuarkusTest verify them. */
    public static SessionTokens dev() {
        return DevKey.TOKENS;
    }

    /** Read once, on first use: hundreds of shoppers are minted per test class. */
    private static final class DevKey {
        private static final SessionTokens TOKENS = load();
    }

    private static SessionTokens load() {
        try (InputStream pem = Thread.currentThread().getContextClassLoader().getResourceAsStream(DEV_KEY_RESOURCE)) {
            if (pem == null) {
                throw new IllegalStateException(DEV_KEY_RESOURCE + " is not on the class path");
            }
            return signedWith(privateKey(new String(pem.readAllBytes(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signed with a PKCS#8 PEM key file, e.g. the one FreshSecrets or local_secrets made. */
    public static SessionTokens fromPem(Path pem) {
        try {
            return signedWith(privateKey(Files.readString(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SessionTokens signedWith(PrivateKey key) {
        return new SessionTokens(key, Duration.ofHours(1));
    }

    /** The same key, tokens valid this long from now. */
    public SessionTokens lasting(Duration validFor) {
        return new SessionTokens(key, validFor);
    }

    public String shopper(long userId) {
        return session(userId, "u" + userId + "@test.miaosha.dev", "shopper");
    }

    public String admin(long userId) {
        return session(userId, "u" + userId + "@test.miaosha.dev", "admin");
    }

    public String session(long userId, String email, String role) {
        return claims(userId, email, role).sign();
    }

    /** Expired an hour ago: well past smallrye-jwt's grace period for clock skew. */
    public String expired(long userId, String email, String role) {
        Instant now = Instant.now();
        return claims(userId, email, role).issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)).sign();
    }

    /** A valid session token whose payload was edited afterwards (role raised to admin). */
    public String tampered(long userId, String email) {
        String[] parts = session(userId, email, "shopper").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"shopper\"", "\"admin\"");
        return parts[0] + "." + encode(payload) + "." + parts[2];
    }

    /** A shopper's token signed with a key the server has never seen. */
    public static String forged(long userId) {
        return forged(userId, "u" + userId + "@test.miaosha.dev", "shopper");
    }

    /** Well formed, but signed with a key the server has never seen. */
    public static String forged(long userId, String email, String role) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return signedWith(generator.generateKeyPair().getPrivate()).session(userId, email, role);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}). */
    public static String algNone(long userId, String email, String role) {
        Claims claims = new Claims(null, Duration.ofHours(1)).subject(Long.toString(userId)).upn(email).groups(role);
        return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims.json()) + ".";
    }

    /** The claims of a session, to change before signing. */
    public Claims claims(long userId, String email, String role) {
        return claims().subject(Long.toString(userId)).upn(email).groups(role);
    }

    /** Only iss, iat, exp and jti: a test adds what it needs, even a subject no real token has. */
    public Claims claims() {
        return new Claims(key, lifetime);
    }

    /** A token's claims in the order they are written; {@link #sign()} signs them with the minter's key. */
    public static final class Claims {
        private final PrivateKey key;
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private Instant issuedAt = Instant.now();
        private Instant expiresAt;

        private Claims(PrivateKey key, Duration lifetime) {
            this.key = key;
            this.expiresAt = issuedAt.plus(lifetime);
            claims.put("iss", ISSUER);
        }

        public Claims subject(String subject) {
            return claim("sub", subject);
        }

        public Claims upn(String upn) {
            return claim("upn", upn);
        }

        public Claims groups(String... groups) {
            return claim("groups", Set.of(groups));
        }

        public Claims issuedAt(Instant at) {
            issuedAt = at;
            return this;
        }

        public Claims expiresAt(Instant at) {
            expiresAt = at;
            return this;
        }

        /** A string, a number, a boolean, or a collection of strings. */
        public Claims claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public String sign() {
            String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
            String body = encode(json());
            try {
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(key);
                rsa.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
                return header + "." + body + "." + URL.encodeToString(rsa.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private String json() {
            Map<String, Object> all = new LinkedHashMap<>(claims);
            all.putIfAbsent("iat", issuedAt.getEpochSecond());
            all.putIfAbsent("exp", expiresAt.getEpochSecond());
            all.putIfAbsent("jti", UUID.randomUUID().toString());
            StringBuilder json = new StringBuilder("{");
            all.forEach((name, value) -> {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(quote(name)).append(':').append(value(value));
            });
            return json.append('}').toString();
        }

        private static String value(Object value) {
            if (value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
            if (value instanceof Iterable<?> items) {
                StringBuilder list = new StringBuilder("[");
                for (Object item : items) {
                    list.append(list.length() > 1 ? "," : "").append(quote(item.toString()));
                }
                return list.append(']').toString();
            }
            return quote(value.toString());
        }

        private static String quote(String text) {
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            quoted.append(String.format("\\u%04x", (int) c));
                        } else {
                            quoted.append(c);
                        }
                    }
                }
            }
            return quoted.append('"').toString();
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> rest = new java.util.ArrayList<>(List.of(args));
        if (rest.isEmpty()) {
            System.err.println("usage: SessionTokens KEY.pem [--for SECONDS] [USER_ID [EMAIL]]");
            System.exit(2);
        }
        SessionTokens tokens = fromPem(Path.of(rest.remove(0)));
        if (rest.size() >= 2 && rest.get(0).equals("--for")) {
            tokens = tokens.lasting(Duration.ofSeconds(Long.parseLong(rest.get(1))));
            rest = rest.subList(2, rest.size());
        }
        if (!rest.isEmpty()) {
            System.out.println(tokens.forUser(rest));
            return;
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
                out.append(tokens.forUser(List.of(line.trim().split("\\s+")))).append('\n');
            }
        }
        System.out.print(out);
    }

    private String forUser(List<String> idAndEmail) {
        long userId = Long.parseLong(idAndEmail.get(0));
        return idAndEmail.size() > 1 ? session(userId, idAndEmail.get(1), "shopper") : shopper(userId);
    }

    private static PrivateKey privateKey(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not a PKCS#8 RSA private key", e);
        }
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
