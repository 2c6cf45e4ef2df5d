package io.miaosha.infra.edge;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CacheCookieBehavior;
import software.amazon.awscdk.services.cloudfront.CacheHeaderBehavior;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.CacheQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.CachedMethods;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.FunctionAssociation;
import software.amazon.awscdk.services.cloudfront.FunctionEventType;
import software.amazon.awscdk.services.cloudfront.IOrigin;
import software.amazon.awscdk.services.cloudfront.OriginProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestPolicy;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.OriginRequestCookieBehavior;
import software.amazon.awscdk.services.cloudfront.OriginRequestHeaderBehavior;
import software.amazon.awscdk.services.cloudfront.OriginRequestQueryStringBehavior;
import software.amazon.awscdk.services.cloudfront.OriginSslPolicy;
import software.amazon.awscdk.services.cloudfront.origins.HttpOrigin;
import io.miaosha.infra.services.ApiLoadBalancer;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What shoppers reach: CloudFront in front of the web app (a private S3 bucket read through
 * origin access control) and of the ALB. The sale listing is cached for a second, which turns a
 * crowd refreshing the sale page into one origin request per edge location per second; every
 * other API path and the WebSockets pass through uncached with the viewer's headers.
 */
public class EdgeStack extends Stack {

    /**
     * Behaviours in evaluation order: the specific purchase paths (a seat pick is a seated sale's
     * purchase) must precede the cached listing, which allows only GET and would refuse their POSTs.
     */
    public static final List<String> API_PASS_THROUGH = List.of("/api/sales/*/purchase", "/api/sales/*/seats/pick",
            "/api/sales/*/holds*");
    public static final String SALE_LISTING = "/api/sales*";
    public static final String API = "/api/*";
    public static final String WEBSOCKETS = "/ws/*";

    private final Distribution distribution;
    private final Bucket webBucket;

    public EdgeStack(Construct scope, String id, EdgeStackProps props) {
        super(scope, id, props.stack());
        boolean production = props.size().production();
        Bucket logs = Bucket.Builder.create(this, "Logs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                // CloudFront standard logging writes through bucket ACLs.
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .autoDeleteObjects(!production)
                .build();
        webBucket = Bucket.Builder.create(this, "WebApp")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("web-bucket/")
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .autoDeleteObjects(!production)
                .build();

        // HTTPS to the ALB under the origin name its certificate is for, with the secret header its
        // rules require: the ALB answers nobody else (ApiLoadBalancer). The header value is a
        // {{resolve:secretsmanager:...}} reference: CloudFormation puts it in at deploy time.
        IOrigin alb = HttpOrigin.Builder.create(props.originDomain())
                .protocolPolicy(OriginProtocolPolicy.HTTPS_ONLY)
                .originSslProtocols(List.of(OriginSslPolicy.TLS_V1_2))
                .customHeaders(Map.of(ApiLoadBalancer.ORIGIN_HEADER,
                        props.services().originVerify().getSecretValue().unsafeUnwrap()))
                .readTimeout(Duration.seconds(30))
                .build();
        FunctionAssociation viewerAddress = FunctionAssociation.builder()
                .eventType(FunctionEventType.VIEWER_REQUEST)
                .function(ViewerFunctions.fromResource(this, "ViewerAddress", "viewer-address.js"))
                .build();
        BehaviorOptions passThrough = BehaviorOptions.builder()
                .origin(alb)
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                .allowedMethods(AllowedMethods.ALLOW_ALL)
                .cachePolicy(CachePolicy.CACHING_DISABLED)
                .originRequestPolicy(OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER)
                .functionAssociations(List.of(viewerAddress))
                .build();
        BehaviorOptions saleListing = BehaviorOptions.builder()
                .origin(alb)
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                .allowedMethods(AllowedMethods.ALLOW_GET_HEAD_OPTIONS)
                .cachedMethods(CachedMethods.CACHE_GET_HEAD)
                .cachePolicy(saleListingCachePolicy())
                // Not in the cache key, but the WAF on the ALB counts by it (RateLimitAcl).
                .originRequestPolicy(OriginRequestPolicy.Builder.create(this, "ViewerAddressOnly")
                        .comment("Forwards the viewer address the CloudFront Function set, for the WAF's rate limits")
                        .headerBehavior(OriginRequestHeaderBehavior.allowList(RateLimitAcl.VIEWER_HEADER))
                        .queryStringBehavior(OriginRequestQueryStringBehavior.all())
                        .cookieBehavior(OriginRequestCookieBehavior.none())
                        .build())
                .functionAssociations(List.of(viewerAddress))
                .build();

        Map<String, BehaviorOptions> behaviours = new LinkedHashMap<>();
        API_PASS_THROUGH.forEach(path -> behaviours.put(path, passThrough));
        behaviours.put(SALE_LISTING, saleListing);
        behaviours.put(API, passThrough);
        behaviours.put(WEBSOCKETS, passThrough);

        distribution = Distribution.Builder.create(this, "Distribution")
                .comment("Miaosha " + props.size().name())
                .defaultRootObject("index.html")
                .defaultBehavior(BehaviorOptions.builder()
                        .origin(S3BucketOrigin.withOriginAccessControl(webBucket))
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                        .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                        .functionAssociations(List.of(FunctionAssociation.builder()
                                .eventType(FunctionEventType.VIEWER_REQUEST)
                                .function(ViewerFunctions.fromResource(this, "SpaRewrite", "spa-rewrite.js"))
                                .build()))
                        .build())
                .additionalBehaviors(behaviours)
                .priceClass(production ? PriceClass.PRICE_CLASS_ALL : PriceClass.PRICE_CLASS_100)
                .enableLogging(true)
                .logBucket(logs)
                .logFilePrefix("cloudfront/")
                .build();

        new RateLimitAcl(this, "RateLimits", props.services().loadBalancer().loadBalancer().getLoadBalancerArn());
        suppressFindings(logs);
        CfnOutput.Builder.create(this, "PublicUrl").value(publicUrl())
                .description("Shoppers' entry point: web app, /api/* and /ws/*").build();
        CfnOutput.Builder.create(this, "WebBucketName").value(webBucket.getBucketName())
                .description("aws s3 sync web/dist s3://<this> publishes the web app").build();
    }

    /**
     * Sale pages show stock left and the opening time; a second of staleness is invisible to a
     * shopper but collapses a refreshing crowd. Only the query string is part of the key: no
     * cookies or authorisation, so no shopper's data can be served to another.
     */
    private CachePolicy saleListingCachePolicy() {
        return CachePolicy.Builder.create(this, "SaleListing")
                .comment("GET /api/sales*: one to two seconds")
                .minTtl(Duration.seconds(0))
                .defaultTtl(Duration.seconds(1))
                .maxTtl(Duration.seconds(2))
                .queryStringBehavior(CacheQueryStringBehavior.all())
                .headerBehavior(CacheHeaderBehavior.none())
                .cookieBehavior(CacheCookieBehavior.none())
                .enableAcceptEncodingGzip(true)
                .enableAcceptEncodingBrotli(true)
                .build();
    }

    private void suppressFindings(Bucket logs) {
        NagSuppressions.addResourceSuppressions(logs, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This bucket holds the access logs; logging it would recurse")
                .build()));
        NagSuppressions.addResourceSuppressions(distribution, List.of(
                NagPackSuppression.builder().id("AwsSolutions-CFR1")
                        .reason("A flash sale is open to every country the shop ships to; restrictions are a business setting")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-CFR2")
                        .reason("The rate-based WAF web ACL sits on the ALB in the app's region (RateLimitAcl); static assets need none")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-CFR4")
                        .reason("The default *.cloudfront.net certificate fixes the minimum TLS version; a custom domain with ACM raises it to TLSv1.2_2021")
                        .build()));
    }

    public Distribution distribution() { return distribution; }
    public Bucket webBucket() { return webBucket; }

    /** The public base URL of the API and the web app. */
    public String publicUrl() {
        return "https://" + distribution.getDistributionDomainName();
    }
}
