package io.miaosha.infra.services;

import io.miaosha.infra.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.constructs.IConstruct;

import java.util.List;
import java.util.Map;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicesStackTest {

    private static ServicesStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        stack = Topology.dev().services();
        template = Topology.template(stack);
    }

    @Test
    void threeTargetGroupsCheckTheQuarkusHealthEndpoint() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 3);
        template.resourcePropertiesCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "HealthCheckPath", "/q/health", "Port", 8080)), 2);
        template.resourcePropertiesCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "HealthCheckPath", "/q/health", "Port", 8082)), 1);
    }

    @Test
    void purchaseHoldAndPaymentPathsReachTheHotGroup() {
        assertRoute(Route.HOT, 10, List.of("/api/sales/*/purchase", "/api/sales/*/holds", "/api/sales/*/holds/*",
                "/api/orders/*/pay"), stack.loadBalancer().hot());
    }

    @Test
    void webSocketsReachTheGatewayGroup() {
        assertRoute(Route.GATEWAY, 20, List.of("/ws/*"), stack.loadBalancer().gateway());
    }

    @Test
    void everyOtherApiPathReachesTheGeneralGroupAfterTheHotRule() {
        assertRoute(Route.GENERAL, 30, List.of("/api/*"), stack.loadBalancer().general());
        assertTrue(Route.HOT.priority() < Route.GENERAL.priority(), "the catch-all would swallow purchases");
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 3);
    }

    @Test
    void unknownPathsIncludingQuarkusEndpointsGetAProblemJson404FromTheLoadBalancer() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "Port", 80,
                "DefaultActions", List.of(Match.objectLike(Map.of(
                        "Type", "fixed-response",
                        "FixedResponseConfig", Match.objectLike(Map.of(
                                "StatusCode", "404", "ContentType", "application/problem+json"))))))));
    }

    @Test
    void hotDrainsFastGeneralModeratelyAndGatewayWaitsForSocketsToMove() {
        assertDeregistrationDelay(stack.loadBalancer().hot(), "10");
        assertDeregistrationDelay(stack.loadBalancer().general(), "30");
        assertDeregistrationDelay(stack.loadBalancer().gateway(), "120");
    }

    @Test
    void fourGroupsOfWhichOnlyTheWorkerHasNoLoadBalancer() {
        Map<String, Map<String, Object>> groups = resources(template, "AWS::AutoScaling::AutoScalingGroup");
        assertEquals(4, groups.size());
        groups.forEach((id, group) -> {
            boolean attached = json(group).contains("TargetGroupARNs");
            assertEquals(!id.startsWith("Worker"), attached, id);
            assertEquals(attached ? "ELB" : "EC2", Topology.path(group, "Properties", "HealthCheckType"), id);
        });
    }

    @Test
    void instancesRunInThePrivateServiceSubnets() {
        resources(template, "AWS::AutoScaling::AutoScalingGroup").forEach((id, group) -> {
            String subnets = json(Topology.path(group, "Properties", "VPCZoneIdentifier"));
            assertTrue(subnets.contains("servicesSubnet") && !subnets.contains("publicSubnet"), id + ": " + subnets);
        });
    }

    @Test
    void instancesRequireImdsV2AndEncryptTheirDisks() {
        template.resourcePropertiesCountIs("AWS::EC2::LaunchTemplate", Match.objectLike(Map.of(
                "LaunchTemplateData", Match.objectLike(Map.of(
                        "MetadataOptions", Match.objectLike(Map.of("HttpTokens", "required")),
                        "BlockDeviceMappings", List.of(Match.objectLike(Map.of(
                                "Ebs", Match.objectLike(Map.of("Encrypted", true))))))))), 4);
    }

    @Test
    void userDataRunsTheReleasedNativeBinaryUnderSystemd() {
        resources(template, "AWS::EC2::LaunchTemplate").forEach((id, launchTemplate) -> {
            String userData = json(Topology.path(launchTemplate, "Properties", "LaunchTemplateData", "UserData"));
            assertTrue(userData.contains("-linux-amd64"), id + " downloads no release binary");
            assertTrue(userData.contains("systemctl enable --now miaosha-$SERVICE"), id + " starts no systemd unit");
            assertTrue(userData.contains("User=miaosha"), id + " runs as root");
            assertFalse(userData.contains("resolve:secretsmanager"), id + " carries a secret in its user data");
        });
    }

    @Test
    void loadBalancerIsInternetFacingAndLogsItsAccess() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Scheme", "internet-facing",
                "LoadBalancerAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "access_logs.s3.enabled", "Value", "true"))))));
    }

    private static void assertRoute(Route route, int priority, List<String> paths, ApplicationTargetGroup target) {
        assertEquals(priority, route.priority());
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
                "Priority", priority,
                "Conditions", List.of(Map.of(
                        "Field", "path-pattern",
                        "PathPatternConfig", Map.of("Values", paths))),
                "Actions", List.of(Match.objectLike(Map.of(
                        "Type", "forward",
                        "TargetGroupArn", Map.of("Ref", logicalId(target))))))));
    }

    private static void assertDeregistrationDelay(ApplicationTargetGroup group, String seconds) {
        Map<String, Object> resource = resources(template, "AWS::ElasticLoadBalancingV2::TargetGroup").get(logicalId(group));
        assertTrue(json(resource).contains("{\"Key\":\"deregistration_delay.timeout_seconds\",\"Value\":\"" + seconds + "\"}"),
                json(resource));
    }

    private static String logicalId(IConstruct construct) {
        return stack.resolve(((software.amazon.awscdk.CfnElement) construct.getNode().getDefaultChild()).getLogicalId()).toString();
    }
}
