package io.miaosha.infra.network;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.SdkCallsPolicyOptions;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The id of the AWS-managed prefix list of CloudFront's origin-facing servers, looked up at deploy
 * time by its fixed name: the id differs per region, and a synth-time lookup would need an account
 * and the network. {@code -c cloudFrontPrefixList=pl-...} skips the lookup.
 */
final class CloudFrontPrefixList {

    static final String NAME = "com.amazonaws.global.cloudfront.origin-facing";

    private CloudFrontPrefixList() {
    }

    static String lookUp(Construct scope) {
        // Insertion-ordered: the call is written into the template as JSON in the map's order, and
        // Map.of's order changes from one JVM to the next (a template that differs on every synth).
        Map<String, Object> byName = new LinkedHashMap<>();
        byName.put("Name", "prefix-list-name");
        byName.put("Values", List.of(NAME));
        AwsSdkCall describe = AwsSdkCall.builder()
                .service("EC2")
                .action("describeManagedPrefixLists")
                .parameters(Map.of("Filters", List.of(byName)))
                .physicalResourceId(PhysicalResourceId.of(NAME))
                .outputPaths(List.of("PrefixLists.0.PrefixListId"))
                .build();
        AwsCustomResource lookup = AwsCustomResource.Builder.create(scope, "CloudFrontPrefixList")
                .onCreate(describe)
                .onUpdate(describe)
                .installLatestAwsSdk(false)
                // DescribeManagedPrefixLists has no resource-level permissions: "*" is the only resource.
                .policy(AwsCustomResourcePolicy.fromSdkCalls(SdkCallsPolicyOptions.builder()
                        .resources(AwsCustomResourcePolicy.ANY_RESOURCE).build()))
                .build();
        NagSuppressions.addResourceSuppressions(lookup, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("ec2:DescribeManagedPrefixLists supports no resource-level permissions; the role may only describe")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
        // The one Lambda behind every AwsCustomResource of the stack, which CDK creates and names.
        NagSuppressions.addResourceSuppressionsByPath(Stack.of(scope),
                "/" + Stack.of(scope).getNode().getPath() + "/AWS" + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""),
                List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM4")
                        .reason("CDK's AwsCustomResource provider logs through AWSLambdaBasicExecutionRole; it runs at deploy time only")
                        .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                        .build()), true);
        return lookup.getResponseField("PrefixLists.0.PrefixListId");
    }
}
