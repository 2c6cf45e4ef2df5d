package io.miaosha.infra.network;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkStackTest {

    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Topology.template(Topology.dev().network());
    }

    @Test
    void vpcSpansTwoZonesWithPublicServiceAndIsolatedSubnets() {
        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.resourceCountIs("AWS::EC2::Subnet", 6);
        template.resourcePropertiesCountIs("AWS::EC2::Subnet",
                Match.objectLike(Map.of("Tags", Match.arrayWith(List.of(Map.of("Key", "aws-cdk:subnet-type", "Value", "Isolated"))))), 2);
    }

    @Test
    void isolatedSubnetsHaveNoRouteInOrOut() {
        resources(template, "AWS::EC2::Route").values().forEach(route ->
                assertFalse(json(route).contains("dataSubnet"), "a route in a data subnet: " + json(route)));
    }

    @Test
    void noSecurityGroupAdmitsTheInternet() {
        resources(template, "AWS::EC2::SecurityGroup").forEach((id, group) ->
                inlineIngress(group).forEach(rule -> assertFalse(rule.containsKey("CidrIp") || rule.containsKey("CidrIpv6"),
                        id + " admits an address range: " + rule)));
    }

    @Test
    void theLoadBalancerAdmitsCloudFrontsOriginFacingPrefixListOnHttpsOnly() {
        List<Map<String, Object>> rules = new java.util.ArrayList<>();
        resources(template, "AWS::EC2::SecurityGroup").forEach((id, group) -> {
            if (id.startsWith("LoadBalancer")) {
                rules.addAll(inlineIngress(group));
            }
        });
        resources(template, "AWS::EC2::SecurityGroupIngress").values().stream()
                .filter(rule -> json(rule).contains("\"GroupId\":{\"Fn::GetAtt\":[\"LoadBalancer"))
                .forEach(rule -> rules.add(Topology.path(rule, "Properties")));
        assertEquals(1, rules.size(), rules.toString());
        assertEquals(443, rules.get(0).get("FromPort"));
        assertEquals(443, rules.get(0).get("ToPort"));
        assertTrue(json(rules.get(0).get("SourcePrefixListId")).contains("CloudFrontPrefixList"), rules.toString());
    }

    @Test
    void thePrefixListIsLookedUpByItsManagedName() {
        template.hasResourceProperties("Custom::AWS", Match.objectLike(Map.of(
                "Create", Match.stringLikeRegexp("describeManagedPrefixLists.*com.amazonaws.global.cloudfront.origin-facing"))));
    }

    @Test
    void redisAdmitsTheThreeServicesOnly() {
        template.resourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", NetworkStack.REDIS_PORT, "ToPort", NetworkStack.REDIS_PORT,
                "SourceSecurityGroupId", Match.anyValue())), 3);
    }

    @Test
    void mysqlAdmitsTheApiAndTheWorkerOnly() {
        template.resourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", NetworkStack.MYSQL_PORT, "SourceSecurityGroupId", Match.anyValue())), 2);
    }

    @Test
    void brokerAdmitsTheThreeServicesOverTlsOnly() {
        template.resourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "FromPort", NetworkStack.AMQPS_PORT, "SourceSecurityGroupId", Match.anyValue())), 3);
    }

    @Test
    void noStoreIngressRuleUsesAnAddressRange() {
        resources(template, "AWS::EC2::SecurityGroupIngress").forEach((id, rule) ->
                assertFalse(json(rule).contains("CidrIp"), id + " admits an address range"));
    }

    @Test
    void vpcTrafficIsLogged() {
        template.resourceCountIs("AWS::EC2::FlowLog", 1);
    }

    @Test
    void prefixListRestrictsTheLoadBalancerToCloudFront() {
        NetworkStack stack = new NetworkStack(new App(), "Restricted",
                new NetworkStackProps(StackProps.builder().build(), EnvironmentSize.dev(), "pl-3b927c52"));
        Template restricted = Template.fromStack(stack);
        restricted.hasResourceProperties("AWS::EC2::SecurityGroupIngress", Match.objectLike(Map.of(
                "SourcePrefixListId", "pl-3b927c52", "FromPort", 443, "ToPort", 443)));
        restricted.resourceCountIs("Custom::AWS", 0);
        resources(restricted, "AWS::EC2::SecurityGroup").forEach((id, group) ->
                inlineIngress(group).forEach(rule -> assertFalse(rule.containsKey("CidrIp"), id + " admits an address range")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> inlineIngress(Map<String, Object> group) {
        Object rules = ((Map<String, Object>) group.get("Properties")).get("SecurityGroupIngress");
        return rules == null ? List.of() : (List<Map<String, Object>>) rules;
    }
}
