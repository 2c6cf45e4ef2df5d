package io.miaosha.infra.services;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.data.MessageBroker;
import io.miaosha.infra.data.OrderDatabase;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.autoscaling.RequestCountScalingProps;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

import java.util.List;

/**
 * The three services as Auto Scaling groups of native binaries: flash-sale-api twice (hot and
 * general groups behind their own target groups), queue-gateway, and order-worker, which has no
 * load balancer because nothing calls it.
 */
public class ServicesStack extends Stack {

    private final ApiLoadBalancer loadBalancer;
    private final AutoScalingGroup hotGroup;
    private final Secret armingKey;
    private final Secret sessionSigningKey;
    private final Secret sessionVerifyKey;
    private final Secret admissionSecret;
    private final Secret lotteryKey;
    private final Secret powKey;
    private final Secret originVerify;
    private final Secret stripeApiKey;

    public ServicesStack(Construct scope, String id, ServicesStackProps props) {
        super(scope, id, props.stack());
        NetworkStack network = props.network();
        DataStack data = props.data();
        // Every secret the services need, made here and read by the instances at boot (BootScript):
        // the template carries their ARNs, never a value. The packaged services refuse to start on
        // a missing, short or committed one (ProductionSecrets in common).
        // The scheduled-start function presents this key to the API's arming endpoint.
        armingKey = generated("ArmingKey", "Shared key of the scheduled-start function and flash-sale-api's arming endpoint");
        admissionSecret = generated("AdmissionSecret", "HS256 secret of the admission tokens: queue-gateway signs, flash-sale-api verifies");
        lotteryKey = generated("LotteryKey", "HMAC key of queue-gateway's pre-opening lottery (the gateway instances alone)");
        powKey = generated("PowKey", "HMAC key of queue-gateway's proof-of-work challenges for joining (the gateway instances alone)");
        // CloudFront adds it to every origin request and the ALB's rules require it.
        originVerify = generated("OriginVerify", "Value of the " + ApiLoadBalancer.ORIGIN_HEADER + " header CloudFront adds and the ALB requires");
        // Secrets Manager cannot generate an RSA key: the operator puts the PEMs in (README, Deploy to
        // AWS). Until then each holds a placeholder that is no PEM, and the services refuse to start.
        sessionSigningKey = placeholder("SessionSigningKey", "PEM (PKCS#8) private key that signs session tokens: flash-sale-api only",
                "the PEM");
        sessionVerifyKey = placeholder("SessionVerifyKey", "PEM public key of SessionSigningKey: flash-sale-api and queue-gateway verify session tokens",
                "the PEM");
        // Stripe issues the key: the operator puts it in, and until then the API refuses to start
        // (PaymentProviders: a key that is not sk_/rk_ is refused), so no deployment sells for free.
        stripeApiKey = placeholder("StripeApiKey", "Stripe secret key (sk_live_...) that flash-sale-api charges with",
                "the Stripe secret key");

        loadBalancer = new ApiLoadBalancer(this, "LoadBalancer", network, props.size().production(),
                props.originCertificateArn(), originVerify.getSecretValue().unsafeUnwrap());

        Topic scalingEvents = Topic.Builder.create(this, "ScalingEvents")
                .masterKey(Alias.fromAliasName(this, "SnsKey", "alias/aws/sns"))
                .enforceSsl(true)
                .build();

        Role apiRole = instanceRole("ApiRole");
        Role gatewayRole = instanceRole("GatewayRole");
        Role workerRole = instanceRole("WorkerRole");
        data.redis().authToken().grantRead(apiRole);
        data.redis().authToken().grantRead(gatewayRole);
        data.redis().authToken().grantRead(workerRole);
        data.database().credentials().grantRead(apiRole);
        data.database().credentials().grantRead(workerRole);
        data.broker().password().grantRead(apiRole);
        data.broker().password().grantRead(gatewayRole);
        data.broker().password().grantRead(workerRole);
        armingKey.grantRead(apiRole);
        admissionSecret.grantRead(apiRole);
        admissionSecret.grantRead(gatewayRole);
        lotteryKey.grantRead(gatewayRole);
        powKey.grantRead(gatewayRole);
        sessionSigningKey.grantRead(apiRole);
        sessionVerifyKey.grantRead(apiRole);
        sessionVerifyKey.grantRead(gatewayRole);
        stripeApiKey.grantRead(apiRole);
        data.emailQueue().queue().grantSendMessages(workerRole);
        // The API queues the email verification links on the same queue as the worker's confirmations.
        data.emailQueue().queue().grantSendMessages(apiRole);

        ServiceFleet hot = new ServiceFleet(this, "HotApi", network.vpc(), network.apiGroup(), apiRole,
                props.size(), props.size().hot(), apiBoot(props), true, scalingEvents);
        ServiceFleet general = new ServiceFleet(this, "GeneralApi", network.vpc(), network.apiGroup(), apiRole,
                props.size(), props.size().general(), apiBoot(props), true, scalingEvents);
        ServiceFleet gateway = new ServiceFleet(this, "Gateway", network.vpc(), network.gatewayGroup(), gatewayRole,
                props.size(), props.size().gateway(), gatewayBoot(props), true, scalingEvents);
        ServiceFleet worker = new ServiceFleet(this, "Worker", network.vpc(), network.workerGroup(), workerRole,
                props.size(), props.size().worker(), workerBoot(props), false, scalingEvents);

        hotGroup = hot.group();
        hotGroup.attachToApplicationTargetGroup(loadBalancer.hot());
        general.group().attachToApplicationTargetGroup(loadBalancer.general());
        gateway.group().attachToApplicationTargetGroup(loadBalancer.gateway());

        // The scheduled-start function raises the hot group's desired capacity ahead of a sale;
        // these policies hold it there while the crowd is in and let it shrink afterwards.
        hotGroup.scaleOnRequestCount("RequestsPerInstance", RequestCountScalingProps.builder()
                .targetRequestsPerMinute(600_000).build());
        hotGroup.scaleOnCpuUtilization("Cpu", cpu(60));
        general.group().scaleOnCpuUtilization("Cpu", cpu(50));
        gateway.group().scaleOnCpuUtilization("Cpu", cpu(50));
        worker.group().scaleOnCpuUtilization("Cpu", cpu(60));

        CfnOutput.Builder.create(this, "SessionSigningKeySecretArn").value(sessionSigningKey.getSecretArn())
                .description("Put the session tokens' PEM private key here (infra-cdk/README.md, Deploy to AWS)").build();
        CfnOutput.Builder.create(this, "SessionVerifyKeySecretArn").value(sessionVerifyKey.getSecretArn())
                .description("Put the matching PEM public key here (infra-cdk/README.md, Deploy to AWS)").build();
        CfnOutput.Builder.create(this, "StripeApiKeySecretArn").value(stripeApiKey.getSecretArn())
                .description("Put the Stripe secret key (sk_live_...) here (infra-cdk/README.md, Deploy to AWS)").build();
        CfnOutput.Builder.create(this, "OriginDnsTarget").value(loadBalancer.loadBalancer().getLoadBalancerDnsName())
                .description("Point the originDomain DNS record (CNAME or alias) here").build();
    }

    private Secret generated(String id, String description) {
        Secret secret = Secret.Builder.create(this, id)
                .description(description)
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(48).build())
                .build();
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("Instances read it at boot (CloudFront and the ALB at deploy); rotation is a new value and a rolling "
                        + "instance refresh, in the README")
                .build()));
        return secret;
    }

    private Secret placeholder(String id, String description, String what) {
        Secret secret = Secret.Builder.create(this, id)
                .description(description + "; put in by hand")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"placeholder\":\"put " + what + " here: infra-cdk/README.md, Deploy to AWS\"}")
                        .generateStringKey("unused")
                        .excludePunctuation(true)
                        .build())
                .build();
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("Secrets Manager cannot generate or rotate an RSA key pair; a new pair is put in by hand, then a "
                        + "rolling instance refresh (README)")
                .build()));
        return secret;
    }

    private static CpuUtilizationScalingProps cpu(int percent) {
        return CpuUtilizationScalingProps.builder().targetUtilizationPercent(percent)
                .estimatedInstanceWarmup(Duration.seconds(60)).build();
    }

    private Role instanceRole(String id) {
        Role role = Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason("Session Manager replaces SSH: no key pairs and no open port 22")
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"))
                .build()), true);
        return role;
    }

    // Variable names are the ones the services' application.properties read (MIAOSHA_DB_HOST, ...).
    private BootScript common(ServicesStackProps props, String service, int port) {
        DataStack data = props.data();
        return BootScript.forService(service, props.releaseBaseUrl(), props.releaseVersion(), getRegion())
                .env("PORT", Integer.toString(port))
                .env("MIAOSHA_REDIS_URL", "rediss://" + data.redis().configurationEndpoint() + ":" + NetworkStack.REDIS_PORT)
                .env("QUARKUS_REDIS_CLIENT_TYPE", "cluster")
                .secret("QUARKUS_REDIS_PASSWORD", data.redis().authToken().getSecretArn())
                .env("RABBITMQ_HOST", data.broker().host())
                .env("RABBITMQ_PORT", Integer.toString(NetworkStack.AMQPS_PORT))
                .env("RABBITMQ_SSL", "true")
                .env("RABBITMQ_USERNAME", MessageBroker.USERNAME)
                // A three-node broker keeps the order queues on every node (quorum); one node has nothing to replicate to.
                .env("MIAOSHA_QUEUE_TYPE", props.size().brokerCluster() ? "quorum" : "classic")
                .secret("RABBITMQ_PASSWORD", data.broker().password().getSecretArn());
    }

    private BootScript withDatabase(BootScript boot, ServicesStackProps props) {
        OrderDatabase database = props.data().database();
        return boot
                .env("MIAOSHA_DB_HOST", database.writer().getDbInstanceEndpointAddress())
                .env("MIAOSHA_DB_READ_HOST", database.replicas().get(0).getDbInstanceEndpointAddress())
                .env("MIAOSHA_DB_PORT", Integer.toString(NetworkStack.MYSQL_PORT))
                .env("MIAOSHA_DB_NAME", OrderDatabase.DATABASE_NAME)
                .secretField("MIAOSHA_DB_USER", database.credentials().getSecretArn(), "username")
                .secretField("MIAOSHA_DB_PASSWORD", database.credentials().getSecretArn(), "password");
    }

    // The names ProductionSecretsAtStartup of each service checks (a test compares them).
    private BootScript apiBoot(ServicesStackProps props) {
        return withDatabase(common(props, "flash-sale-api", NetworkStack.API_PORT), props)
                .secretFile("SMALLRYE_JWT_SIGN_KEY_LOCATION", sessionSigningKey.getSecretArn(), "privateKey.pem")
                .secretFile("MP_JWT_VERIFY_PUBLICKEY_LOCATION", sessionVerifyKey.getSecretArn(), "publicKey.pem")
                .secret("MIAOSHA_ADMISSION_SECRET", admissionSecret.getSecretArn())
                .secret("MIAOSHA_ARMING_KEY", armingKey.getSecretArn())
                // Who the shopper is, for the log-in throttle: CloudFront appends the viewer's address to
                // X-Forwarded-For and the load balancer (inside the VPC) the edge's, so the viewer is two
                // hops from the right, and only the load balancer's addresses are believed.
                .env("MIAOSHA_EDGE_TRUSTED_PROXIES", props.network().vpc().getVpcCidrBlock())
                .env("MIAOSHA_EDGE_FORWARDED_HOPS", "2")
                // ElastiCache keeps one replica per shard: a 202 waits until it holds the purchase.
                .env("MIAOSHA_PURCHASE_DURABLE_REPLICAS", "1")
                // The verification emails link here; the API refuses to start on a missing or non-https one.
                // A context value, not the Edge stack's CloudFront name: that stack is built on this one.
                .env("MIAOSHA_STOREFRONT_URL", props.storefrontUrl())
                // SQS: AWS's endpoint and the instance role (the services' production defaults), never ElasticMQ.
                .env("MIAOSHA_EMAIL_QUEUE_URL", props.data().emailQueue().queue().getQueueUrl())
                .env("QUARKUS_SQS_AWS_REGION", getRegion())
                .env("MIAOSHA_PAYMENT_PROVIDER", "stripe")
                .secret("MIAOSHA_STRIPE_API_KEY", stripeApiKey.getSecretArn());
    }

    private BootScript gatewayBoot(ServicesStackProps props) {
        return common(props, "queue-gateway", NetworkStack.GATEWAY_PORT)
                .secretFile("MP_JWT_VERIFY_PUBLICKEY_LOCATION", sessionVerifyKey.getSecretArn(), "publicKey.pem")
                .secret("MIAOSHA_ADMISSION_SECRET", admissionSecret.getSecretArn())
                .secret("MIAOSHA_LOTTERY_KEY", lotteryKey.getSecretArn())
                .secret("MIAOSHA_POW_KEY", powKey.getSecretArn())
                // The per-address join limit believes the load balancer about the viewer, as the API does.
                .env("MIAOSHA_EDGE_TRUSTED_PROXIES", props.network().vpc().getVpcCidrBlock())
                .env("MIAOSHA_EDGE_FORWARDED_HOPS", "2");
    }

    private BootScript workerBoot(ServicesStackProps props) {
        // SQS: AWS's endpoint and the instance role (the worker's production defaults), never ElasticMQ.
        return withDatabase(common(props, "order-worker", NetworkStack.WORKER_PORT), props)
                .env("MIAOSHA_EMAIL_QUEUE_URL", props.data().emailQueue().queue().getQueueUrl())
                .env("QUARKUS_SQS_AWS_REGION", getRegion());
    }

    public ApiLoadBalancer loadBalancer() { return loadBalancer; }
    public AutoScalingGroup hotGroup() { return hotGroup; }
    public Secret armingKey() { return armingKey; }
    public Secret originVerify() { return originVerify; }
    public Secret sessionSigningKey() { return sessionSigningKey; }
    public Secret sessionVerifyKey() { return sessionVerifyKey; }
    public Secret admissionSecret() { return admissionSecret; }
    public Secret lotteryKey() { return lotteryKey; }
    public Secret powKey() { return powKey; }
    public Secret stripeApiKey() { return stripeApiKey; }
}
