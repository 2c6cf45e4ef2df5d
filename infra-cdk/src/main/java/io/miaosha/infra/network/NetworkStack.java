package io.miaosha.infra.network;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The VPC and who may talk to whom. Three tiers: public (ALB, NAT), private with egress (service
 * instances, which download their release and call AWS APIs) and isolated (databases, cache,
 * broker: no route out and none in). Each store's security group admits only the service groups
 * that use it, on its one port, so nothing on the internet can reach a store.
 */
public class NetworkStack extends Stack {

    public static final int HTTPS_PORT = 443;
    public static final int API_PORT = 8080;
    public static final int WORKER_PORT = 8081;
    public static final int GATEWAY_PORT = 8082;
    public static final int REDIS_PORT = 6379;
    public static final int MYSQL_PORT = 3306;
    public static final int AMQPS_PORT = 5671;

    private final Vpc vpc;
    private final SecurityGroup loadBalancer;
    private final SecurityGroup api;
    private final SecurityGroup gateway;
    private final SecurityGroup worker;
    private final SecurityGroup redis;
    private final SecurityGroup mysql;
    private final SecurityGroup broker;

    public NetworkStack(Construct scope, String id, NetworkStackProps props) {
        super(scope, id, props.stack());
        vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(props.size().maxAzs())
                .natGateways(props.size().natGateways())
                .subnetConfiguration(List.of(
                        subnet("public", SubnetType.PUBLIC, 24),
                        subnet("services", SubnetType.PRIVATE_WITH_EGRESS, 22),
                        subnet("data", SubnetType.PRIVATE_ISOLATED, 24)))
                .flowLogs(Map.of("AllTraffic", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(LogGroup.Builder.create(this, "FlowLogs")
                                .retention(RetentionDays.ONE_MONTH).build()))
                        .build()))
                .build();

        // Only CloudFront's origin-facing servers reach the ALB, on HTTPS only: one port, because the
        // prefix list weighs about 55 rules against the group's quota of 60.
        loadBalancer = group("LoadBalancer", "ALB: HTTPS from CloudFront only", true);
        String prefixList = props.cloudFrontPrefixList() != null ? props.cloudFrontPrefixList() : CloudFrontPrefixList.lookUp(this);
        loadBalancer.addIngressRule(Peer.prefixList(prefixList), Port.tcp(HTTPS_PORT), "CloudFront to the ALB");

        api = group("Api", "flash-sale-api instances (hot and general groups)", true);
        api.addIngressRule(loadBalancer, Port.tcp(API_PORT), "ALB to flash-sale-api");
        gateway = group("Gateway", "queue-gateway instances", true);
        gateway.addIngressRule(loadBalancer, Port.tcp(GATEWAY_PORT), "ALB to queue-gateway");
        worker = group("Worker", "order-worker instances: no inbound traffic", true);

        redis = group("Redis", "ElastiCache: services only", false);
        mysql = group("Mysql", "RDS MySQL: services only", false);
        broker = group("Broker", "Amazon MQ for RabbitMQ: services only", false);
        admit(redis, REDIS_PORT, api, gateway, worker);
        admit(mysql, MYSQL_PORT, api, worker);
        admit(broker, AMQPS_PORT, api, gateway, worker);
    }

    private static SubnetConfiguration subnet(String name, SubnetType type, int cidrMask) {
        return SubnetConfiguration.builder().name(name).subnetType(type).cidrMask(cidrMask).build();
    }

    private SecurityGroup group(String id, String description, boolean outbound) {
        return SecurityGroup.Builder.create(this, id)
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(outbound)
                .build();
    }

    private static void admit(SecurityGroup store, int port, SecurityGroup... clients) {
        for (SecurityGroup client : clients) {
            store.addIngressRule(client, Port.tcp(port), "from " + client.getNode().getId());
        }
    }

    public Vpc vpc() { return vpc; }
    public SecurityGroup loadBalancerGroup() { return loadBalancer; }
    public SecurityGroup apiGroup() { return api; }
    public SecurityGroup gatewayGroup() { return gateway; }
    public SecurityGroup workerGroup() { return worker; }
    public SecurityGroup redisGroup() { return redis; }
    public SecurityGroup mysqlGroup() { return mysql; }
    public SecurityGroup brokerGroup() { return broker; }
}
