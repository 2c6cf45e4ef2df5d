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
    void emailFunctionIsToldOnlyItsSenderAddress() {
        Map<String, Object> env = environmentOf("EmailFunction");
        assertEquals(Set.of("MIAOSHA_MAIL_FROM"), env.keySet());
        assertEquals("no-reply@miaosha.dev", env.get("MIAOSHA_MAIL_FROM"));
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
    void emailFunctionMaySendOnlyFromTheConfiguredIdentity() {
        String policy = policyOf("EmailFunctionRole");
        assertTrue(policy.contains("\"ses:SendEmail\",\"ses:SendRawEmail\""), policy);
        assertTrue(policy.contains(":identity/miaosha.dev"), policy);
        assertFalse(policy.contains("autoscaling:"), policy);
        assertFalse(policy.contains("secretsmanager:"), policy);
    }

    @Test
    void scheduledStartMayOnlyScaleTheHotGroupAndReadTheArmingKey() {
        String policy = policyOf("ScheduledStartFunctionRole");
        assertTrue(policy.contains("\"autoscaling:SetDesiredCapacity\",\"autoscaling:UpdateAutoScalingGroup\""), policy);
        assertTrue(policy.contains("autoScalingGroupName/\",{\"Fn::ImportValue\":\"Miaosha-dev-Services:ExportsOutputRefHotApiGroup"), policy);
        assertTrue(policy.contains("ExportsOutputRefArmingKey"), policy);
        assertFalse(policy.contains("ses:") || policy.contains("sqs:"), policy);
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
