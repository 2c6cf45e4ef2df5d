package io.miaosha.infra.services;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.data.MessageBroker;
import io.miaosha.infra.data.OrderDatabase;
import io.miaosha.infra.network.NetworkStack;
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

    public ServicesStack(Construct scope, String id, ServicesStackProps props) {
        super(scope, id, props.stack());
        NetworkStack network = props.network();
        DataStack data = props.data();
        loadBalancer = new ApiLoadBalancer(this, "LoadBalancer", network, props.size().production());

        Topic scalingEvents = Topic.Builder.create(this, "ScalingEvents")
                .masterKey(Alias.fromAliasName(this, "SnsKey", "alias/aws/sns"))
                .enforceSsl(true)
                .build();
        // The scheduled-start function presents this key to the API's arming endpoint.
        armingKey = Secret.Builder.create(this, "ArmingKey")
                .description("Shared key of the scheduled-start function and flash-sale-api's arming endpoint")
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(48).build())
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
        data.emailQueue().queue().grantSendMessages(workerRole);

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

        NagSuppressions.addResourceSuppressions(armingKey, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The API reads the key at boot; rotation is a rolling restart in the runbook")
                .build()));
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

    private BootScript apiBoot(ServicesStackProps props) {
        return withDatabase(common(props, "flash-sale-api", NetworkStack.API_PORT), props)
                .secret("MIAOSHA_ARMING_KEY", armingKey.getSecretArn());
    }

    private BootScript gatewayBoot(ServicesStackProps props) {
        return common(props, "queue-gateway", NetworkStack.GATEWAY_PORT);
    }

    private BootScript workerBoot(ServicesStackProps props) {
        return withDatabase(common(props, "order-worker", NetworkStack.WORKER_PORT), props)
                .env("MIAOSHA_EMAIL_QUEUE_URL", props.data().emailQueue().queue().getQueueUrl())
                .env("QUARKUS_SQS_AWS_REGION", getRegion());
    }

    public ApiLoadBalancer loadBalancer() { return loadBalancer; }
    public AutoScalingGroup hotGroup() { return hotGroup; }
    public Secret armingKey() { return armingKey; }
}
