package io.miaosha.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract between what the CDK deploys and what the code reads: a variable the template sets
 * that no {@code application.properties} reads is silently ignored in AWS (that is how the
 * scheduled-start function once got MIAOSHA_HOT_GROUP_NAME while reading MIAOSHA_HOT_GROUP). Reads
 * the services' properties files from their modules beside this one.
 */
class FunctionEnvironmentContractTest {

    private static final Pattern READ_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    @Test
    void everyVariableTheFunctionsAreGivenIsOneTheFunctionsModuleReads() {
        Set<String> read = variablesRead("functions");
        for (MiaoshaStacks stacks : new MiaoshaStacks[] {Topology.dev(), Topology.prod()}) {
            Template template = Topology.template(stacks.serverless());
            Map<String, Map<String, Object>> functions = resources(template, "AWS::Lambda::Function");
            assertFalse(functions.isEmpty());
            functions.forEach((id, function) -> {
                Map<String, Object> env = Topology.path(function, "Properties", "Environment", "Variables");
                Set<String> unread = new TreeSet<>(env == null ? Set.of() : env.keySet());
                unread.removeAll(read);
                assertTrue(unread.isEmpty(), id + " is given " + unread + ", which functions/src/main/resources/"
                        + "application.properties does not read (it reads " + new TreeSet<>(read) + ")");
            });
        }
    }

    @Test
    void theApiInstancesAreGivenTheArmingKeyThatFlashSaleApiReads() {
        assertTrue(variablesRead("flash-sale-api").contains("MIAOSHA_ARMING_KEY"),
                "flash-sale-api/src/main/resources/application.properties does not read MIAOSHA_ARMING_KEY");
        Template services = Topology.template(Topology.dev().services());
        long apiLaunchTemplates = resources(services, "AWS::EC2::LaunchTemplate").values().stream()
                .map(Topology::json)
                .filter(userData -> userData.contains("SERVICE=flash-sale-api"))
                .peek(userData -> assertTrue(userData.contains("MIAOSHA_ARMING_KEY=$(secret '"),
                        "an API launch template without the arming key: " + userData))
                .count();
        assertTrue(apiLaunchTemplates == 2, "the hot and general API groups, found " + apiLaunchTemplates);
        assertTrue(json(services.toJSON()).contains("ArmingKey"));
    }

    /** The environment variables a module's application.properties reads, as in {@code ${NAME:default}}. */
    private static Set<String> variablesRead(String module) {
        Path properties = Path.of("..", module, "src", "main", "resources", "application.properties");
        try {
            Matcher matcher = READ_VARIABLE.matcher(Files.readString(properties));
            Set<String> names = new TreeSet<>();
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + properties.toAbsolutePath().normalize()
                    + ": run the tests from the infra-cdk module of a full checkout", e);
        }
    }
}
