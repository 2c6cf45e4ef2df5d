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
        assertRoute(Route.HOT, 10, List.of("/api/sales/*/purchase", "/api/sales/*/seats/pick", "/api/sales/*/holds",
                "/api/sales/*/holds/*", "/api/orders/*/pay"), stack.loadBalancer().hot());
    }

    @Test
    void webSocketsReachTheGatewayGroup() {
        assertRoute(Route.GATEWAY, 20, List.of("/ws/*"), stack.loadBalancer().gateway());
    }

    @Test
    void everyOtherApiPathReachesTheGeneralGroupAfterTheHotRule() {
        assertRoute(Route.GENERAL, 30, List.of("/api/*"), stack.loadBalancer().general());
        assertTrue(Route.HOT.priority() < Route.GENERAL.priority(), "the catch-all would swallow purchases");
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::ListenerRule", 4);
    }

    // Was the listener's default action; the default is now the 403 for requests not from CloudFront.
    @Test
    void unknownPathsIncludingQuarkusEndpointsGetAProblemJson404FromTheLoadBalancer() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", Match.objectLike(Map.of(
                "Priority", ApiLoadBalancer.NOT_FOUND_PRIORITY,
                "Conditions", List.of(Match.objectLike(Map.of("Field", "http-header"))),
                "Actions", List.of(Match.objectLike(Map.of(
                        "Type", "fixed-response",
                        "FixedResponseConfig", Match.objectLike(Map.of(
                                "StatusCode", "404", "ContentType", "application/problem+json"))))))));
    }

    @Test
    void requestsWithoutTheOriginHeaderGetAProblemJson403ByDefault() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "DefaultActions", List.of(Match.objectLike(Map.of(
                        "Type", "fixed-response",
                        "FixedResponseConfig", Match.objectLike(Map.of(
                                "StatusCode", "403", "ContentType", "application/problem+json"))))))));
    }

    @Test
    void everyListenerRuleRequiresTheOriginHeaderFromTheOriginVerifySecret() {
        resources(template, "AWS::ElasticLoadBalancingV2::ListenerRule").forEach((id, rule) -> {
            String header = json(Topology.path(rule, "Properties", "Conditions"));
            assertTrue(header.contains("{\"Field\":\"http-header\",\"HttpHeaderConfig\":{\"HttpHeaderName\":\""
                    + ApiLoadBalancer.ORIGIN_HEADER + "\",\"Values\":[{\"Fn::Join\":[\"\",[\"{{resolve:secretsmanager:\",{\"Ref\":\"OriginVerify"),
                    id + ": " + header);
        });
    }

    @Test
    void theOnlyListenerIsHttpsOnPort443WithTheOriginCertificate() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of(
                "Port", 443,
                "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", Topology.ORIGIN_CERTIFICATE)))));
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
    void everySecretIsGeneratedBySecretsManagerAndNoneHasAValueInTheTemplate() {
        Map<String, Map<String, Object>> secrets = resources(template, "AWS::SecretsManager::Secret");
        assertEquals(List.of("AdmissionSecret", "ArmingKey", "LotteryKey", "OriginVerify", "PowKey", "SessionSigningKey", "SessionVerifyKey",
                        "StripeApiKey"),
                secrets.keySet().stream().map(id -> id.replaceAll("[0-9A-F]{8}$", "")).sorted().toList());
        secrets.forEach((id, secret) -> {
            Map<String, Object> properties = Topology.path(secret, "Properties");
            assertFalse(properties.containsKey("SecretString"), id + " carries its value");
            assertTrue(properties.containsKey("GenerateSecretString"), id + " is not generated");
        });
    }

    @Test
    void theSessionKeySecretsAreOutputForTheOperatorToFill() {
        template.hasOutput("SessionSigningKeySecretArn", Match.anyValue());
        template.hasOutput("SessionVerifyKeySecretArn", Match.anyValue());
    }

    @Test
    void everyApiInstanceAnswersAPurchaseOnlyOnceAReplicaHoldsIt() {
        resources(template, "AWS::EC2::LaunchTemplate").forEach((id, launchTemplate) -> {
            String userData = json(launchTemplate);
            if (userData.contains("flash-sale-api")) {
                assertTrue(userData.contains("MIAOSHA_PURCHASE_DURABLE_REPLICAS=1"), id + " promises purchases only the master holds");
            }
        });
    }

    @Test
    void everyApiInstanceBelievesForwardedAddressesFromTheLoadBalancerOnlyTwoHopsDeep() {
        resources(template, "AWS::EC2::LaunchTemplate").forEach((id, launchTemplate) -> {
            String userData = json(launchTemplate);
            if (userData.contains("flash-sale-api")) {
                assertTrue(userData.contains("MIAOSHA_EDGE_FORWARDED_HOPS=2"), id + ": CloudFront + the ALB are two hops");
                assertTrue(userData.contains("MIAOSHA_EDGE_TRUSTED_PROXIES="), id + " trusts no proxy");
                assertFalse(userData.contains("MIAOSHA_EDGE_TRUSTED_PROXIES=0.0.0.0/0"), id + " trusts every address");
            }
        });
    }

    @Test
    void everyApiInstanceLinksVerificationEmailsToTheStorefrontUrlOfTheContext() {
        List<String> api = resources(template, "AWS::EC2::LaunchTemplate").values().stream().map(Topology::json)
                .filter(userData -> userData.contains("SERVICE=flash-sale-api\\n")).toList();
        assertEquals(2, api.size(), "API launch templates");
        api.forEach(userData -> assertTrue(userData.contains("MIAOSHA_STOREFRONT_URL=" + Topology.STOREFRONT_URL), userData));
    }

    @Test
    void noInstanceSendsEmailJobsToALocalEndpointOrWithStaticKeys() {
        // The services' production defaults are AWS's SQS endpoint and the instance role: neither is overridden.
        resources(template, "AWS::EC2::LaunchTemplate").forEach((id, launchTemplate) -> {
            String userData = json(launchTemplate);
            assertFalse(userData.contains("MIAOSHA_SQS_ENDPOINT") || userData.contains("QUARKUS_SQS_ENDPOINT_OVERRIDE"), id);
            assertFalse(userData.contains("MIAOSHA_SQS_CREDENTIALS") || userData.contains("QUARKUS_SQS_AWS_CREDENTIALS"), id);
        });
    }

    @Test
    void theStripeKeySecretIsOutputForTheOperatorToFill() {
        template.hasOutput("StripeApiKeySecretArn", Match.anyValue());
    }

    @Test
    void theApiAndTheWorkerMaySendEmailJobsAndTheGatewayMayNot() {
        resources(template, "AWS::IAM::Policy").forEach((id, policy) ->
                assertEquals(id.startsWith("ApiRole") || id.startsWith("WorkerRole"), json(policy).contains("sqs:SendMessage"), id));
    }

    @Test
    void onlyTheApiRoleMayReadTheStripeKey() {
        resources(template, "AWS::IAM::Policy").forEach((id, policy) ->
                assertEquals(id.startsWith("ApiRole"), json(policy).contains("StripeApiKey"), id));
    }

    @Test
    void everyApiInstanceChargesThroughStripeWithTheKeyFromItsSecret() {
        resources(template, "AWS::EC2::LaunchTemplate").forEach((id, launchTemplate) -> {
            String userData = json(launchTemplate);
            if (userData.contains("flash-sale-api")) {
                assertTrue(userData.contains("MIAOSHA_PAYMENT_PROVIDER=stripe"), id + " does not choose Stripe");
                assertTrue(userData.contains("MIAOSHA_STRIPE_API_KEY=$(secret '"), id + " reads no Stripe key from a secret");
                assertTrue(userData.contains("StripeApiKey"), id + " reads the Stripe key from another secret");
            }
        });
    }

    @Test
    void theOrderQueuesAreQuorumQueuesOnTheClusteredBrokerAndClassicOnTheSingleOne() {
        assertQueueType(template, "classic");
        assertQueueType(Topology.template(Topology.prod().services()), "quorum");
    }

    private static void assertQueueType(Template synthesized, String type) {
        resources(synthesized, "AWS::EC2::LaunchTemplate").forEach((id, launchTemplate) -> {
            String userData = json(launchTemplate);
            if (userData.contains("flash-sale-api") || userData.contains("order-worker")) {
                assertTrue(userData.contains("MIAOSHA_QUEUE_TYPE=" + type), id + " does not declare " + type + " order queues");
            }
        });
    }

    @Test
    void onlyTheApiRoleMayReadTheSigningKey() {
        resources(template, "AWS::IAM::Policy").forEach((id, policy) ->
                assertEquals(id.startsWith("ApiRole"), json(policy).contains("SessionSigningKey"), id));
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
                        "PathPatternConfig", Map.of("Values", paths)), Match.objectLike(Map.of("Field", "http-header"))),
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
