package io.miaosha.infra.edge;

import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * A regional WAF web ACL on the ALB with per-shopper rate-based rules, the production twin of
 * the local nginx limits: tight on sign-up and log-in (credential stuffing), generous on
 * purchase (a shopper retries fast at the opening second), a ceiling on everything else.
 * It sits on the ALB rather than on CloudFront so that it lives in the app's region. Every request
 * reaches the ALB from a CloudFront address, so it counts by the {@code X-Viewer-Address} header
 * instead, which is the real client address and cannot be chosen by the client: the CloudFront
 * Function on every behaviour towards the ALB overwrites it with {@code event.viewer.ip}, and the
 * ALB admits CloudFront's origin-facing addresses only and, by its listener rules, only requests
 * carrying the distribution's secret origin header. A request without the header (none reaches the
 * ALB that way but a forged one) falls back to MATCH: it is counted as over the limit.
 */
public class RateLimitAcl extends Construct {

    public static final String VIEWER_HEADER = "X-Viewer-Address";
    /** Requests per shopper address per evaluation window (60 s), per rule. */
    public static final int AUTH_LIMIT = 20;
    public static final int PURCHASE_LIMIT = 300;
    public static final int OVERALL_LIMIT = 1200;

    private static final String PROBLEM_BODY = "rate-limited";

    private final CfnWebACL acl;

    public RateLimitAcl(Construct scope, String id, String loadBalancerArn) {
        super(scope, id);
        acl = CfnWebACL.Builder.create(this, "WebAcl")
                .scope("REGIONAL")
                .defaultAction(CfnWebACL.DefaultActionProperty.builder()
                        .allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(visibility("miaosha-edge"))
                .customResponseBodies(Map.of(PROBLEM_BODY, CfnWebACL.CustomResponseBodyProperty.builder()
                        .contentType("APPLICATION_JSON")
                        .content("{\"type\":\"https://miaosha.dev/problems/rate-limited\",\"title\":\"Too Many Requests\","
                                + "\"status\":429,\"detail\":\"Too many requests from this address; retry after the Retry-After seconds.\"}")
                        .build()))
                .rules(List.of(
                        rateRule("auth-rate", 0, AUTH_LIMIT, "/api/auth/"),
                        rateRule("purchase-rate", 1, PURCHASE_LIMIT, "/purchase"),
                        rateRule("seat-pick-rate", 2, PURCHASE_LIMIT, "/seats/pick"),
                        rateRule("overall-rate", 3, OVERALL_LIMIT, null)))
                .build();
        CfnWebACLAssociation.Builder.create(this, "OnLoadBalancer")
                .resourceArn(loadBalancerArn)
                .webAclArn(acl.getAttrArn())
                .build();
    }

    private static CfnWebACL.RuleProperty rateRule(String name, int priority, int limit, String pathPart) {
        CfnWebACL.RateBasedStatementProperty.Builder rate = CfnWebACL.RateBasedStatementProperty.builder()
                .limit(limit)
                .evaluationWindowSec(60)
                .aggregateKeyType("FORWARDED_IP")
                .forwardedIpConfig(CfnWebACL.ForwardedIPConfigurationProperty.builder()
                        .headerName(VIEWER_HEADER)
                        .fallbackBehavior("MATCH")
                        .build());
        if (pathPart != null) {
            rate.scopeDownStatement(CfnWebACL.StatementProperty.builder()
                    .byteMatchStatement(CfnWebACL.ByteMatchStatementProperty.builder()
                            .fieldToMatch(CfnWebACL.FieldToMatchProperty.builder().uriPath(Map.of()).build())
                            .positionalConstraint(pathPart.startsWith("/api/") ? "STARTS_WITH" : "ENDS_WITH")
                            .searchString(pathPart)
                            .textTransformations(List.of(CfnWebACL.TextTransformationProperty.builder()
                                    .priority(0).type("NONE").build()))
                            .build())
                    .build());
        }
        return CfnWebACL.RuleProperty.builder()
                .name(name)
                .priority(priority)
                .statement(CfnWebACL.StatementProperty.builder().rateBasedStatement(rate.build()).build())
                .action(CfnWebACL.RuleActionProperty.builder()
                        .block(CfnWebACL.BlockActionProperty.builder()
                                .customResponse(CfnWebACL.CustomResponseProperty.builder()
                                        .responseCode(429)
                                        .customResponseBodyKey(PROBLEM_BODY)
                                        // WAF prefixes custom header names with x-amzn-waf-; the body says when to retry too.
                                        .responseHeaders(List.of(CfnWebACL.CustomHTTPHeaderProperty.builder()
                                                .name("Retry-After").value("60").build()))
                                        .build())
                                .build())
                        .build())
                .visibilityConfig(visibility(name))
                .build();
    }

    private static CfnWebACL.VisibilityConfigProperty visibility(String metric) {
        return CfnWebACL.VisibilityConfigProperty.builder()
                .cloudWatchMetricsEnabled(true)
                .metricName(metric)
                .sampledRequestsEnabled(true)
                .build();
    }

    public String arn() {
        return acl.getAttrArn();
    }
}
