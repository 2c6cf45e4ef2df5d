package io.miaosha.infra.data;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.amazonmq.CfnBroker;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.util.List;

/**
 * Amazon MQ for RabbitMQ: order events, hold-expiry delays (TTL + dead-letter exchange) and
 * retries. Private to the VPC; RabbitMQ on Amazon MQ speaks AMQP over TLS only.
 */
public class MessageBroker extends Construct {

    public static final String USERNAME = "miaosha";

    private final CfnBroker broker;
    private final Secret password;

    public MessageBroker(Construct scope, String id, NetworkStack network, EnvironmentSize size) {
        super(scope, id);
        // RabbitMQ broker passwords: 12+ characters, no commas, colons, equals signs or spaces.
        password = Secret.Builder.create(this, "Password")
                .description("Password of the miaosha user on the RabbitMQ broker")
                .generateSecretString(SecretStringGenerator.builder()
                        .excludePunctuation(true)
                        .passwordLength(32)
                        .build())
                .build();
        List<String> isolated = network.vpc()
                .selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build())
                .getSubnetIds();
        broker = CfnBroker.Builder.create(this, "Broker")
                .brokerName("miaosha-" + size.name())
                .engineType("RABBITMQ")
                .engineVersion("3.13")
                .autoMinorVersionUpgrade(true)
                .hostInstanceType(size.brokerInstance())
                .deploymentMode(size.brokerCluster() ? "CLUSTER_MULTI_AZ" : "SINGLE_INSTANCE")
                .publiclyAccessible(false)
                .subnetIds(size.brokerCluster() ? isolated : List.of(isolated.get(0)))
                .securityGroups(List.of(network.brokerGroup().getSecurityGroupId()))
                .users(List.of(CfnBroker.UserProperty.builder()
                        .username(USERNAME)
                        .password(SecretValue.secretsManager(password.getSecretArn()).unsafeUnwrap())
                        .build()))
                .logs(CfnBroker.LogListProperty.builder().general(true).build())
                .build();
        NagSuppressions.addResourceSuppressions(password, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("Amazon MQ users cannot be rotated by a Secrets Manager rotation function without broker downtime")
                .build()));
    }

    /** {@code b-xxxx.mq.region.amazonaws.com} taken from the AMQPS endpoint {@code amqps://host:5671}. */
    public String host() {
        String endpoint = Fn.select(0, broker.getAttrAmqpEndpoints());
        return Fn.select(0, Fn.split(":", Fn.select(1, Fn.split("amqps://", endpoint))));
    }

    public Secret password() {
        return password;
    }
}
