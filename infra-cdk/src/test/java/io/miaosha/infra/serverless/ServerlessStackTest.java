package io.miaosha.infra.serverless;

import io.miaosha.infra.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

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
    void emailFunctionRunsTheQuarkusEmailHandler() {
        assertHandler("email");
    }

    @Test
    void scheduledStartFunctionRunsTheQuarkusScheduledStartHandler() {
        assertHandler("scheduled-start");
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

    private static void assertHandler(String name) {
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Handler", QuarkusFunction.HANDLER,
                "Runtime", Match.stringLikeRegexp("java"),
                "Environment", Map.of("Variables", Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", name))))));
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
