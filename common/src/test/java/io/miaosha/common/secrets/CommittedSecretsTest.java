package io.miaosha.common.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link CommittedSecrets} complete: every key file and every default of a shared secret in the
 * repository is one the production profile refuses.
 */
class CommittedSecretsTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SECRET_DEFAULT = Pattern.compile(
            "^[%\\w,.-]*miaosha\\.(admission\\.secret|lottery\\.key|arming\\.key|schedule\\.arming-key)\\s*=\\s*(.*)$");
    /** A compose default of a secret variable; other settings (MIAOSHA_DEMO_ENABLED: ${...:-true}) are no secrets. */
    private static final Pattern COMPOSE_DEFAULT = Pattern.compile(
            "MIAOSHA_\\w*(?:SECRET|KEY|PASSWORD|TOKEN)\\w*:\\s*\\$\\{MIAOSHA_\\w+:-([^}]+)}");

    @Test
    void everyCommittedKeyFileIsRefused() throws Exception {
        List<Path> pems = files(path -> path.toString().endsWith(".pem"));
        assertFalse(pems.isEmpty(), "no .pem found under " + REPOSITORY);
        for (Path pem : pems) {
            String text = Files.readString(pem);
            List<BigInteger> moduli = ProductionSecrets.moduli(text, text.contains("PRIVATE KEY"));
            assertEquals(1, moduli.size(), pem.toString());
            assertTrue(CommittedSecrets.KEY_FINGERPRINTS.contains(ProductionSecrets.fingerprint(moduli.get(0))),
                    pem + " is committed but its fingerprint " + ProductionSecrets.fingerprint(moduli.get(0))
                            + " is not in CommittedSecrets.KEY_FINGERPRINTS");
        }
    }

    @Test
    void everyCommittedSecretDefaultIsRefused() throws Exception {
        Set<String> defaults = Stream.concat(
                files(path -> path.endsWith(Path.of("src/main/resources/application.properties"))).stream()
                        .flatMap(CommittedSecretsTest::lines)
                        .map(SECRET_DEFAULT::matcher).filter(Matcher::matches)
                        .map(m -> m.group(2).strip())
                        .map(value -> value.startsWith("${") ? value.substring(value.indexOf(':') + 1, value.length() - 1) : value),
                files(path -> path.getFileName().toString().equals("compose.yaml")).stream()
                        .flatMap(CommittedSecretsTest::lines)
                        .map(COMPOSE_DEFAULT::matcher).filter(Matcher::find).map(m -> m.group(1)))
                .filter(value -> !value.isEmpty())
                .collect(Collectors.toSet());
        assertTrue(defaults.contains("local-dev-admission-secret-change-me-in-production"), "the scan found " + defaults);
        for (String value : defaults) {
            assertTrue(CommittedSecrets.DEFAULTS.contains(value), "'" + value + "' is committed as a default but not in "
                    + "CommittedSecrets.DEFAULTS");
        }
    }

    /** The working tree without build output, dependencies, git's store or the run directory. */
    private static List<Path> files(Predicate<Path> wanted) throws IOException {
        Set<String> skipped = Set.of("node_modules", "target", ".git", "run", "cdk.out");
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(REPOSITORY, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return skipped.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (wanted.test(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
