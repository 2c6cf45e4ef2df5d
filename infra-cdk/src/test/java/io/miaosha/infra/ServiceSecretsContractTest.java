package io.miaosha.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No service in the synthesized template lacks a secret it needs: each packaged service refuses to
 * start without the settings its {@code ProductionSecretsAtStartup} checks, so each of those must
 * come from a Secrets Manager secret in the instance user data. Reads the checks from the services'
 * sources beside this module, so a new check without a secret here fails this test.
 */
class ServiceSecretsContractTest {

    private static final Pattern SETTING = Pattern.compile("new Setting\\(\"[^\"]+\", \"([A-Z0-9_]+)\"\\)");

    @Test
    void everyApiInstanceReadsEverySecretFlashSaleApiRequiresFromSecretsManager() {
        assertEquals(Set.of("SMALLRYE_JWT_SIGN_KEY_LOCATION", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MIAOSHA_ADMISSION_SECRET",
                "MIAOSHA_ARMING_KEY"), required("flash-sale-api", "io/miaosha/api"));
        assertEveryInstanceReads("flash-sale-api", 2, required("flash-sale-api", "io/miaosha/api"));
    }

    @Test
    void everyGatewayInstanceReadsEverySecretQueueGatewayRequiresFromSecretsManager() {
        assertEquals(Set.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MIAOSHA_ADMISSION_SECRET", "MIAOSHA_LOTTERY_KEY", "MIAOSHA_POW_KEY"),
                required("queue-gateway", "io/miaosha/gateway"));
        assertEveryInstanceReads("queue-gateway", 1, required("queue-gateway", "io/miaosha/gateway"));
    }

    @Test
    void theWorkerIsGivenNoneOfTheTokenSecrets() {
        userData("order-worker").forEach(userData -> {
            for (String secret : List.of("SessionSigningKey", "SessionVerifyKey", "AdmissionSecret", "LotteryKey", "PowKey", "ArmingKey")) {
                assertFalse(userData.contains(secret), "order-worker reads " + secret);
            }
        });
    }

    private static void assertEveryInstanceReads(String service, int groups, Set<String> variables) {
        List<String> launchTemplates = userData(service);
        assertEquals(groups, launchTemplates.size(), service + " launch templates");
        for (String userData : launchTemplates) {
            for (String variable : variables) {
                Matcher fromSecret = Pattern.compile(Pattern.quote(variable) + "=\\$\\(secret '\",\\{\"Ref\":\"(\\w+)\"\\}").matcher(userData);
                Matcher fileFromSecret = Pattern.compile("secret '\",\\{\"Ref\":\"(\\w+)\"\\},\"' > /etc/miaosha-keys/(\\S+?) &&").matcher(userData);
                boolean asFile = userData.contains("echo '" + variable + "=/etc/miaosha-keys/");
                assertTrue(fromSecret.find() || asFile && fileFromSecret.find(), service + " gets no " + variable + " from a secret");
                String secretId = asFile ? fileFromSecret.group(1) : fromSecret.group(1);
                assertTrue(secrets().containsKey(secretId), variable + " of " + service + " is read from " + secretId
                        + ", which is not a Secrets Manager secret of the stack");
            }
        }
    }

    /** The variables its ProductionSecretsAtStartup checks, one per secret: a key's location, not its inline twin; no switches. */
    private static Set<String> required(String module, String packagePath) {
        Path source = Path.of("..", module, "src", "main", "java", packagePath, "secrets", "ProductionSecretsAtStartup.java");
        try {
            Matcher matcher = SETTING.matcher(Files.readString(source));
            Set<String> names = new TreeSet<>();
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names.stream()
                    .filter(name -> !names.contains(name + "_LOCATION"))
                    .filter(name -> !name.endsWith("_ENABLED"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source.toAbsolutePath().normalize()
                    + ": run the tests from the infra-cdk module of a full checkout", e);
        }
    }

    private static List<String> userData(String service) {
        Template services = Topology.template(Topology.dev().services());
        return resources(services, "AWS::EC2::LaunchTemplate").values().stream()
                .map(Topology::json)
                .filter(userData -> userData.contains("SERVICE=" + service + "\\n"))
                .toList();
    }

    private static Map<String, Map<String, Object>> secrets() {
        return resources(Topology.template(Topology.dev().services()), "AWS::SecretsManager::Secret");
    }
}
