package io.miaosha.infra.serverless;

import io.miaosha.infra.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerlessStackTest {

    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Topology.template(Topology.dev().serverless());
    }

    @Test
    void bothFunctionsRunThePackagesRouterWithNoHandlerOverride() {
        Map<String, Map<String, Object>> functions = resources(template, "AWS::Lambda::Function");
        assertEquals(2, functions.size(), functions.keySet().toString());
        functions.forEach((id, function) -> {
            String handler = Topology.path(function, "Properties", "Handler");
            String runtime = Topology.path(function, "Properties", "Runtime");
            assertEquals(QuarkusFunction.HANDLER, handler, id);
            assertTrue(runtime.startsWith("java"), id + " runs " + runtime);
            assertFalse(json(function).contains("QUARKUS_LAMBDA_HANDLER"), id + " would bypass the router");
        });
    }

    @Test
    void scheduledStartFunctionScalesForRealAndReadsTheHotGroupApiAndArmingKeySecret() {
        Map<String, Object> env = environmentOf("ScheduledStartFunction");
        assertEquals(Set.of("MIAOSHA_SCALING_MODE", "MIAOSHA_HOT_GROUP_NAME", "MIAOSHA_HOT_OPEN_INSTANCES",
                "MIAOSHA_HOT_IDLE_INSTANCES", "MIAOSHA_API_URL", "MIAOSHA_ARMING_KEY_SECRET_ARN"), env.keySet());
        assertEquals("aws", env.get("MIAOSHA_SCALING_MODE"));
        // Dev's hot group runs 1 to 4 instances: a sale opens with all 4, and between sales it keeps 1.
        assertEquals("4", env.get("MIAOSHA_HOT_OPEN_INSTANCES"));
        assertEquals("1", env.get("MIAOSHA_HOT_IDLE_INSTANCES"));
        assertTrue(json(env.get("MIAOSHA_HOT_GROUP_NAME")).contains("ExportsOutputRefHotApiGroup"), json(env));
        assertTrue(json(env.get("MIAOSHA_ARMING_KEY_SECRET_ARN")).contains("ExportsOutputRefArmingKey"), json(env));
        assertTrue(json(env.get("MIAOSHA_API_URL")).contains("https://"), json(env));
    }

    @Test
    void emailFunctionSendsThroughTheRegionsSesSmtpEndpointWithStartTls() {
        Map<String, Object> env = environmentOf("EmailFunction");
        assertEquals(Set.of("MIAOSHA_MAIL_FROM", "MIAOSHA_SMTP_HOST", "MIAOSHA_SMTP_PORT", "MIAOSHA_SMTP_START_TLS",
                "MIAOSHA_SMTP_CREDENTIALS_SECRET_ARN"), env.keySet());
        assertEquals("no-reply@miaosha.dev", env.get("MIAOSHA_MAIL_FROM"));
        assertEquals("email-smtp.us-east-1.amazonaws.com", env.get("MIAOSHA_SMTP_HOST"));
        assertEquals("587", env.get("MIAOSHA_SMTP_PORT"));
        assertEquals("REQUIRED", env.get("MIAOSHA_SMTP_START_TLS"));
    }

    @Test
    void emailFunctionIsToldWhereItsSmtpCredentialsAreNeverWhatTheyAre() {
        Map<String, Object> env = environmentOf("EmailFunction");
        assertEquals(Map.of("Ref", smtpCredentialsId()), env.get("MIAOSHA_SMTP_CREDENTIALS_SECRET_ARN"));
        assertFalse(env.containsKey("MIAOSHA_SMTP_USERNAME") || env.containsKey("MIAOSHA_SMTP_PASSWORD"), json(env));
        assertFalse(json(env).contains("resolve:secretsmanager"), "a resolved secret would sit in the function's configuration");
    }

    @Test
    void smtpCredentialsSecretHoldsAUsernameAndAGeneratedPlaceholderPassword() {
        template.hasResourceProperties("AWS::SecretsManager::Secret", Match.objectLike(Map.of(
                "GenerateSecretString", Match.objectLike(Map.of(
                        "SecretStringTemplate", "{\"username\":\"replace-with-the-ses-smtp-username\"}",
                        "GenerateStringKey", "password")))));
    }

    @Test
    void emailFunctionReadsTheQueueInBatchesAndReportsFailedItemsOneByOne() {
        template.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Match.objectLike(Map.of(
                "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                "BatchSize", 10,
                "EventSourceArn", Match.anyValue())));
    }

    @Test
    void salesAreArmedEveryMinuteAndTheHotGroupMayShrinkEveryQuarterHour() {
        template.resourceCountIs("AWS::Scheduler::Schedule", 2);
        template.hasResourceProperties("AWS::Scheduler::Schedule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Target", Match.objectLike(Map.of("Input", "{\"lookaheadMinutes\":15,\"task\":\"arm-upcoming\"}")))));
        template.hasResourceProperties("AWS::Scheduler::Schedule", Match.objectLike(Map.of(
                "ScheduleExpression", "rate(15 minutes)",
                "Target", Match.objectLike(Map.of("Input", "{\"task\":\"scale-in\"}")))));
        resources(template, "AWS::Scheduler::Schedule").forEach((id, schedule) -> assertTrue(
                json(Topology.path(schedule, "Properties", "Target", "Arn")).contains("ScheduledStartFunction"), id));
    }

    @Test
    void emailFunctionMayOnlyReadItsSmtpCredentials() {
        String policy = policyOf("EmailFunctionRole");
        assertTrue(policy.contains("\"secretsmanager:GetSecretValue\""), policy);
        assertTrue(policy.contains("\"Resource\":{\"Ref\":\"" + smtpCredentialsId() + "\"}"), policy);
        assertFalse(policy.contains("ses:"), "SMTP authenticates with the credentials, not the role: " + policy);
        assertFalse(policy.contains("autoscaling:") || policy.contains("ArmingKey"), policy);
    }

    @Test
    void scheduledStartMayOnlyScaleTheHotGroupAndReadTheArmingKey() {
        String policy = policyOf("ScheduledStartFunctionRole");
        assertTrue(policy.contains("\"autoscaling:SetDesiredCapacity\",\"autoscaling:UpdateAutoScalingGroup\""), policy);
        assertTrue(policy.contains("autoScalingGroupName/\",{\"Fn::ImportValue\":\"Miaosha-dev-Services:ExportsOutputRefHotApiGroup"), policy);
        assertTrue(policy.contains("ExportsOutputRefArmingKey"), policy);
        assertFalse(policy.contains("ses:") || policy.contains("sqs:") || policy.contains(smtpCredentialsId()), policy);
    }

    @Test
    void noFunctionPolicyGrantsAnActionOrResourceWildcard() {
        resources(template, "AWS::IAM::Policy").forEach((id, policy) -> {
            String text = json(policy);
            assertFalse(text.contains("\"Resource\":\"*\""), id + " grants every resource");
            assertFalse(text.matches(".*\"[a-z0-9]+:\\*\".*"), id + " grants every action of a service");
        });
        resources(template, "AWS::IAM::Role").forEach((id, role) ->
                assertFalse(json(role).contains("ManagedPolicyArns"), id + " carries a broad managed policy"));
    }

    /** The environment variables of the function whose logical id starts with {@code idPrefix}. */
    private static Map<String, Object> environmentOf(String idPrefix) {
        List<Map<String, Object>> matching = resources(template, "AWS::Lambda::Function").entrySet().stream()
                .filter(e -> e.getKey().startsWith(idPrefix)).map(Map.Entry::getValue).toList();
        assertEquals(1, matching.size(), "functions named " + idPrefix);
        Map<String, Object> env = Topology.path(matching.get(0), "Properties", "Environment", "Variables");
        return env == null ? Map.of() : env;
    }

    private static String smtpCredentialsId() {
        Map<String, Map<String, Object>> secrets = resources(template, "AWS::SecretsManager::Secret");
        assertEquals(1, secrets.size(), secrets.keySet().toString());
        String id = secrets.keySet().iterator().next();
        assertTrue(id.startsWith("SmtpCredentials"), id);
        return id;
    }

    private static String policyOf(String rolePrefix) {
        Map<String, Map<String, Object>> policies = resources(template, "AWS::IAM::Policy");
        List<String> matching = policies.entrySet().stream()
                .filter(e -> json(e.getValue()).contains("{\"Ref\":\"" + rolePrefix))
                .map(e -> json(e.getValue()))
                .toList();
        assertEquals(1, matching.size(), "policies of " + rolePrefix);
        return matching.get(0);
    }
}
