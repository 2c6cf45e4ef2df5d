package io.miaosha.infra.edge;

import io.miaosha.infra.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.path;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeStackTest {

    /** AWS managed policies, by their fixed ids. */
    private static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    private static final String ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

    private static Template template;
    private static List<Map<String, Object>> behaviours;

    @BeforeAll
    static void synthesize() {
        template = Topology.template(Topology.dev().edge());
        Map<String, Object> distribution = resources(template, "AWS::CloudFront::Distribution").values().iterator().next();
        behaviours = path(distribution, "Properties", "DistributionConfig", "CacheBehaviors");
    }

    @Test
    void behavioursPutPurchasePathsBeforeTheCachedSaleListing() {
        assertEquals(List.of("/api/sales/*/purchase", "/api/sales/*/seats/pick", "/api/sales/*/holds*", "/api/sales*", "/api/*",
                "/ws/*"),
                behaviours.stream().map(b -> b.get("PathPattern")).toList());
    }

    @Test
    void saleListingIsCachedForOneToTwoSecondsWithoutCookiesOrAuthorisation() {
        template.hasResourceProperties("AWS::CloudFront::CachePolicy", Match.objectLike(Map.of(
                "CachePolicyConfig", Match.objectLike(Map.of(
                        "MinTTL", 0, "DefaultTTL", 1, "MaxTTL", 2,
                        "ParametersInCacheKeyAndForwardedToOrigin", Match.objectLike(Map.of(
                                "CookiesConfig", Map.of("CookieBehavior", "none"),
                                "HeadersConfig", Map.of("HeaderBehavior", "none"),
                                "QueryStringsConfig", Map.of("QueryStringBehavior", "all"))))))));
        Map<String, Object> listing = behaviour("/api/sales*");
        String cachePolicy = resources(template, "AWS::CloudFront::CachePolicy").keySet().iterator().next();
        assertEquals(Map.of("Ref", cachePolicy), listing.get("CachePolicyId"));
        assertEquals(List.of("GET", "HEAD", "OPTIONS"), listing.get("AllowedMethods"));
    }

    @Test
    void otherApiPathsAndPurchasesPassThroughUncachedWithTheViewersHeaders() {
        for (String pattern : List.of("/api/sales/*/purchase", "/api/sales/*/seats/pick", "/api/sales/*/holds*", "/api/*")) {
            Map<String, Object> b = behaviour(pattern);
            assertEquals(CACHING_DISABLED, b.get("CachePolicyId"), pattern);
            assertEquals(ALL_VIEWER_EXCEPT_HOST_HEADER, b.get("OriginRequestPolicyId"), pattern);
            assertTrue(((List<?>) b.get("AllowedMethods")).contains("POST"), pattern);
            assertEquals("https-only", b.get("ViewerProtocolPolicy"), pattern);
        }
    }

    @Test
    void webSocketsGoToTheLoadBalancerOrigin() {
        Map<String, Object> ws = behaviour("/ws/*");
        assertEquals(behaviour("/api/*").get("TargetOriginId"), ws.get("TargetOriginId"));
        assertEquals(CACHING_DISABLED, ws.get("CachePolicyId"));
    }

    // Was "http-only to the load balancer's DNS name"; the issue asks for HTTPS to the origin name.
    @Test
    void theLoadBalancerOriginIsReachedOverHttpsOnlyAtTheOriginName() {
        assertEquals(Map.of("OriginProtocolPolicy", "https-only", "OriginReadTimeout", 30, "OriginSSLProtocols", List.of("TLSv1.2")),
                apiOrigin().get("CustomOriginConfig"));
        assertEquals(Topology.ORIGIN_DOMAIN, apiOrigin().get("DomainName"));
    }

    @Test
    void theLoadBalancerOriginCarriesTheOriginHeaderResolvedFromTheSecret() {
        String headers = json(apiOrigin().get("OriginCustomHeaders"));
        assertTrue(headers.startsWith("[{\"HeaderName\":\"X-Miaosha-Origin-Verify\",\"HeaderValue\":{\"Fn::Join\":[\"\",[\"{{resolve:secretsmanager:\""), headers);
        assertTrue(headers.contains("ExportsOutputRefOriginVerify"), headers);
    }

    @Test
    void theCachedSaleListingStillForwardsTheViewerAddressToTheWaf() {
        Object policy = behaviour("/api/sales*").get("OriginRequestPolicyId");
        Map<String, Object> resource = resources(template, "AWS::CloudFront::OriginRequestPolicy").get(((Map<?, ?>) policy).get("Ref"));
        assertEquals(Map.of("HeaderBehavior", "whitelist", "Headers", List.of(RateLimitAcl.VIEWER_HEADER)),
                path(resource, "Properties", "OriginRequestPolicyConfig", "HeadersConfig"));
    }

    @Test
    void everyBehaviourTowardsTheLoadBalancerOverwritesTheViewerAddress() {
        String function = json(resources(template, "AWS::CloudFront::Function").entrySet().stream()
                .filter(f -> f.getKey().startsWith("ViewerAddress")).findFirst().orElseThrow().getValue());
        assertTrue(function.contains("request.headers['x-viewer-address'] = { value: event.viewer.ip }"), function);
        behaviours.stream().filter(b -> apiOrigin().get("Id").equals(b.get("TargetOriginId"))).forEach(b ->
                assertTrue(json(b.get("FunctionAssociations")).contains("ViewerAddress"), b.get("PathPattern") + ": " + json(b)));
    }

    private static Map<String, Object> apiOrigin() {
        Map<String, Object> distribution = resources(template, "AWS::CloudFront::Distribution").values().iterator().next();
        List<Map<String, Object>> origins = path(distribution, "Properties", "DistributionConfig", "Origins");
        return origins.stream().filter(o -> o.containsKey("CustomOriginConfig")).findFirst().orElseThrow();
    }

    @Test
    void webAppIsReadFromAPrivateEncryptedBucketThroughOriginAccessControl() {
        template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        template.resourcePropertiesCountIs("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketEncryption", Match.anyValue(),
                "PublicAccessBlockConfiguration", Map.of(
                        "BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true))), 2);
    }

    @Test
    void shoppersAddressIsSetByCloudFrontOnEveryApiRequest() {
        for (String pattern : List.of("/api/sales*", "/api/*", "/ws/*")) {
            assertEquals(1, ((List<?>) behaviour(pattern).get("FunctionAssociations")).size(), pattern);
        }
        template.hasResourceProperties("AWS::CloudFront::Function", Match.objectLike(Map.of(
                "FunctionCode", Match.stringLikeRegexp("x-viewer-address"))));
    }

    @Test
    void wafRateLimitsSignInPurchaseAndEverythingPerShopperWith429() {
        template.hasResourceProperties("AWS::WAFv2::WebACL", Match.objectLike(Map.of(
                "Scope", "REGIONAL",
                "Rules", List.of(
                        rateRule("auth-rate", RateLimitAcl.AUTH_LIMIT),
                        rateRule("purchase-rate", RateLimitAcl.PURCHASE_LIMIT),
                        rateRule("seat-pick-rate", RateLimitAcl.PURCHASE_LIMIT),
                        rateRule("overall-rate", RateLimitAcl.OVERALL_LIMIT)))));
        template.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
    }

    private static Object rateRule(String name, int limit) {
        return Match.objectLike(Map.of(
                "Name", name,
                "Statement", Map.of("RateBasedStatement", Match.objectLike(Map.of(
                        "Limit", limit,
                        "AggregateKeyType", "FORWARDED_IP",
                        "ForwardedIPConfig", Match.objectLike(Map.of("HeaderName", RateLimitAcl.VIEWER_HEADER))))),
                "Action", Map.of("Block", Map.of("CustomResponse", Match.objectLike(Map.of(
                        "ResponseCode", 429,
                        "ResponseHeaders", List.of(Map.of("Name", "Retry-After", "Value", "60"))))))));
    }

    private static Map<String, Object> behaviour(String pattern) {
        return behaviours.stream().filter(b -> pattern.equals(b.get("PathPattern"))).findFirst().orElseThrow();
    }
}
