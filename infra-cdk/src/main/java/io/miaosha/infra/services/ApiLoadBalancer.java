package io.miaosha.infra.services;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListenerRule;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.FixedResponseOptions;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCondition;
import software.amazon.awscdk.services.elasticloadbalancingv2.TargetType;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.constructs.Construct;

import java.util.List;

/**
 * One internet-facing ALB with three target groups: hot and general both run flash-sale-api but
 * on separate instances, so a purchase storm saturates only the hot group while login and
 * checkout stay fast; gateway carries the waiting room's WebSockets.
 *
 * <p>It serves CloudFront only: HTTPS on 443 with the origin's certificate (no plain-HTTP
 * listener), its security group admits CloudFront's origin-facing addresses only, and every rule
 * also requires the secret origin header that the distribution adds ({@link #ORIGIN_HEADER}), so
 * another CloudFront distribution pointed at it gets the default answer: a problem+json 403. Paths
 * no group serves (including the services' own {@code /q/*} endpoints) get a problem+json 404.
 */
public class ApiLoadBalancer extends Construct {

    /** The health endpoint of every Quarkus service (liveness and readiness together). */
    public static final String HEALTH_PATH = "/q/health";
    /** Added by CloudFront to every origin request, with the value of the OriginVerify secret. */
    public static final String ORIGIN_HEADER = "X-Miaosha-Origin-Verify";
    /** After the routes: a request through CloudFront for a path no group serves. */
    static final int NOT_FOUND_PRIORITY = 100;

    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationTargetGroup hot;
    private final ApplicationTargetGroup general;
    private final ApplicationTargetGroup gateway;

    public ApiLoadBalancer(Construct scope, String id, NetworkStack network, boolean production,
                           String certificateArn, String originSecret) {
        super(scope, id);
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .removalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .autoDeleteObjects(!production)
                .build();
        NagSuppressions.addResourceSuppressions(accessLogs, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This bucket holds access logs; logging it would recurse")
                .build()));

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "Alb")
                .vpc(network.vpc())
                .internetFacing(true)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
                .securityGroup(network.loadBalancerGroup())
                .deletionProtection(production)
                // Waiting-room sockets are pinged every 30 s by the gateway; this leaves room for one missed ping.
                .idleTimeout(Duration.seconds(75))
                .dropInvalidHeaderFields(true)
                .build();
        loadBalancer.logAccessLogs(accessLogs, "alb");

        // Purchases take milliseconds, so the hot group drains fast and scales in quickly;
        // WebSockets are long-lived, so the gateway waits for shoppers to reconnect elsewhere
        // (a reconnecting shopper keeps its ticket).
        hot = targetGroup("Hot", NetworkStack.API_PORT, Duration.seconds(10));
        general = targetGroup("General", NetworkStack.API_PORT, Duration.seconds(30));
        gateway = targetGroup("Gateway", NetworkStack.GATEWAY_PORT, Duration.seconds(120));

        ApplicationListener listener = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                .port(NetworkStack.HTTPS_PORT)
                .protocol(ApplicationProtocol.HTTPS)
                .certificates(List.of(ListenerCertificate.fromArn(certificateArn)))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .open(false)
                .defaultAction(problem(403, "origin-forbidden", "Forbidden",
                        "This address serves the shop's CloudFront distribution only; use the shop's public address."))
                .build());
        ListenerCondition fromCloudFront = ListenerCondition.httpHeader(ORIGIN_HEADER, List.of(originSecret));
        rule(listener, Route.HOT, hot, fromCloudFront);
        rule(listener, Route.GATEWAY, gateway, fromCloudFront);
        rule(listener, Route.GENERAL, general, fromCloudFront);
        ApplicationListenerRule.Builder.create(this, "NotFoundRule")
                .listener(listener)
                .priority(NOT_FOUND_PRIORITY)
                .conditions(List.of(fromCloudFront))
                .action(problem(404, "not-found", "Not Found", null))
                .build();
    }

    private static ListenerAction problem(int status, String type, String title, String detail) {
        return ListenerAction.fixedResponse(status, FixedResponseOptions.builder()
                .contentType("application/problem+json")
                .messageBody("{\"type\":\"https://miaosha.dev/problems/" + type + "\",\"title\":\"" + title
                        + "\",\"status\":" + status + (detail == null ? "" : ",\"detail\":\"" + detail + "\"") + "}")
                .build());
    }

    private ApplicationTargetGroup targetGroup(String id, int port, Duration deregistrationDelay) {
        return ApplicationTargetGroup.Builder.create(this, id)
                .vpc(loadBalancer.getVpc())
                .port(port)
                .protocol(ApplicationProtocol.HTTP)
                .targetType(TargetType.INSTANCE)
                .deregistrationDelay(deregistrationDelay)
                .healthCheck(HealthCheck.builder()
                        .path(HEALTH_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(10))
                        .timeout(Duration.seconds(5))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .build();
    }

    // A rule allows five condition values in all: the hot route's four paths and the header.
    private void rule(ApplicationListener listener, Route route, ApplicationTargetGroup target, ListenerCondition fromCloudFront) {
        ApplicationListenerRule.Builder.create(this, route.name() + "Rule")
                .listener(listener)
                .priority(route.priority())
                .conditions(List.of(ListenerCondition.pathPatterns(route.pathPatterns()), fromCloudFront))
                .action(ListenerAction.forward(List.of(target)))
                .build();
    }

    public ApplicationLoadBalancer loadBalancer() { return loadBalancer; }
    public ApplicationTargetGroup hot() { return hot; }
    public ApplicationTargetGroup general() { return general; }
    public ApplicationTargetGroup gateway() { return gateway; }
}
