package io.miaosha.infra.data;

import io.miaosha.infra.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;

import static io.miaosha.infra.Topology.json;
import static io.miaosha.infra.Topology.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataStackTest {

    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Topology.template(Topology.dev().data());
    }

    @Test
    void redisRunsInClusterModeWithAReplicaPerShardAndAutomaticFailover() {
        template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", Match.objectLike(Map.of(
                "CacheParameterGroupName", "default.redis7.cluster.on",
                "NumNodeGroups", 1,
                "ReplicasPerNodeGroup", 1,
                "AutomaticFailoverEnabled", true,
                "MultiAZEnabled", true)));
    }

    @Test
    void redisEncryptsInTransitAndAtRestAndRequiresAuth() {
        template.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", Match.objectLike(Map.of(
                "TransitEncryptionEnabled", true,
                "AtRestEncryptionEnabled", true,
                "AuthToken", Match.anyValue())));
    }

    @Test
    void redisAndMysqlLiveInIsolatedSubnetsOnly() {
        for (String type : List.of("AWS::ElastiCache::SubnetGroup", "AWS::RDS::DBSubnetGroup")) {
            resources(template, type).forEach((id, group) -> {
                String text = json(group);
                assertTrue(text.contains("dataSubnet"), id + " is not in the data subnets");
                assertTrue(!text.contains("publicSubnet") && !text.contains("servicesSubnet"), id + " reaches beyond the data subnets");
            });
        }
    }

    @Test
    void writerIsEncryptedPrivateAndTakesItsPasswordFromSecretsManager() {
        template.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of(
                "Engine", "mysql",
                "StorageEncrypted", true,
                "PubliclyAccessible", false,
                "MasterUserPassword", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                        Match.arrayWith(List.of(Match.stringLikeRegexp("resolve:secretsmanager"))))))))));
        template.resourceCountIs("AWS::SecretsManager::SecretTargetAttachment", 1);
    }

    @Test
    void aPrivateReadReplicaFollowsTheWriter() {
        template.resourcePropertiesCountIs("AWS::RDS::DBInstance", Match.objectLike(Map.of(
                "SourceDBInstanceIdentifier", Match.anyValue(),
                "PubliclyAccessible", false)), 1);
    }

    @Test
    void rabbitMqBrokerIsPrivate() {
        template.hasResourceProperties("AWS::AmazonMQ::Broker", Match.objectLike(Map.of(
                "EngineType", "RABBITMQ",
                "PubliclyAccessible", false,
                "DeploymentMode", "SINGLE_INSTANCE")));
    }

    @Test
    void emailQueueRedrivesToItsDeadLetterQueueAfterFiveReceives() {
        String dlq = resources(template, "AWS::SQS::Queue").keySet().stream()
                .filter(id -> id.contains("DeadLetters")).findFirst().orElseThrow();
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "RedrivePolicy", Map.of(
                        "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(dlq, "Arn")),
                        "maxReceiveCount", EmailQueue.MAX_RECEIVES))));
    }

    @Test
    void emailQueueHidesAMessageLongerThanTheFunctionRuns() {
        template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                "VisibilityTimeout", EmailQueue.FUNCTION_TIMEOUT.toSeconds().intValue() * 6)));
    }

    @Test
    void bothQueuesAreEncryptedAndRefusePlainHttp() {
        template.resourcePropertiesCountIs("AWS::SQS::Queue", Match.objectLike(Map.of("SqsManagedSseEnabled", true)), 2);
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))), 2);
    }

    @Test
    void prodHasThreeShardsAStandbyTwoReplicasAndAClusteredBroker() {
        Template prod = Topology.template(Topology.prod().data());
        prod.hasResourceProperties("AWS::ElastiCache::ReplicationGroup", Match.objectLike(Map.of("NumNodeGroups", 3)));
        prod.hasResourceProperties("AWS::RDS::DBInstance", Match.objectLike(Map.of("MultiAZ", true, "DeletionProtection", true)));
        prod.resourcePropertiesCountIs("AWS::RDS::DBInstance", Match.objectLike(Map.of("SourceDBInstanceIdentifier", Match.anyValue())), 2);
        prod.hasResourceProperties("AWS::AmazonMQ::Broker", Match.objectLike(Map.of("DeploymentMode", "CLUSTER_MULTI_AZ")));
        assertEquals(1, resources(prod, "AWS::AmazonMQ::Broker").size());
    }
}
