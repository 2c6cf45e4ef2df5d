package io.miaosha.infra.data;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.util.List;

/**
 * ElastiCache for Redis in cluster mode. Every key of one sale shares a hash tag, so one shard
 * serves one sale's Lua script; more shards mean more sales in parallel, not a faster single sale.
 * Each shard has a replica in another zone and fails over by itself.
 */
public class RedisCluster extends Construct {

    private final CfnReplicationGroup group;
    private final Secret authToken;

    public RedisCluster(Construct scope, String id, NetworkStack network, String nodeType, int shards) {
        super(scope, id);
        List<String> isolated = network.vpc()
                .selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .getSubnetIds();
        CfnSubnetGroup subnets = CfnSubnetGroup.Builder.create(this, "Subnets")
                .description("Miaosha Redis: isolated subnets")
                .subnetIds(isolated)
                .build();
        // Redis AUTH tokens may not contain @, " or /; letters and digits are always safe.
        authToken = Secret.Builder.create(this, "AuthToken")
                .description("Redis AUTH token of the Miaosha cluster")
                .generateSecretString(SecretStringGenerator.builder()
                        .excludePunctuation(true)
                        .passwordLength(48)
                        .build())
                .build();
        group = CfnReplicationGroup.Builder.create(this, "ReplicationGroup")
                .replicationGroupDescription("Miaosha hot state: stock, holds, queues, outbox")
                .engine("redis")
                .engineVersion("7.1")
                .cacheParameterGroupName("default.redis7.cluster.on")
                .cacheNodeType(nodeType)
                .numNodeGroups(shards)
                .replicasPerNodeGroup(1)
                .automaticFailoverEnabled(true)
                .multiAzEnabled(true)
                .transitEncryptionEnabled(true)
                .atRestEncryptionEnabled(true)
                .authToken(SecretValue.secretsManager(authToken.getSecretArn()).unsafeUnwrap())
                .port(NetworkStack.REDIS_PORT)
                .cacheSubnetGroupName(subnets.getRef())
                .securityGroupIds(List.of(network.redisGroup().getSecurityGroupId()))
                .snapshotRetentionLimit(1)
                .build();
        NagSuppressions.addResourceSuppressions(group, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-AEC5")
                .reason("A non-default port hides nothing: the cache is in isolated subnets behind its own security group, with TLS and AUTH")
                .build()));
        NagSuppressions.addResourceSuppressions(authToken, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("Rotating the AUTH token needs the ROTATE strategy and a client restart plan; the runbook rotates it by hand")
                .build()));
    }

    /** The configuration endpoint that cluster-aware clients discover the shards from. */
    public String configurationEndpoint() {
        return group.getAttrConfigurationEndPointAddress();
    }

    public Secret authToken() {
        return authToken;
    }
}
