package io.miaosha.infra.data;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.DatabaseInstanceReadReplica;
import software.amazon.awscdk.services.rds.MySqlInstanceEngineProps;
import software.amazon.awscdk.services.rds.MysqlEngineVersion;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * The system of record: one MySQL writer and its read replicas. Catalog and "my orders" reads go
 * to a replica; writes and read-your-own-write paths go to the writer. The generated master
 * credentials live in Secrets Manager and reach the instances at boot, never the template.
 */
public class OrderDatabase extends Construct {

    public static final String DATABASE_NAME = "miaosha";

    private final DatabaseInstance writer;
    private final List<DatabaseInstanceReadReplica> replicas = new ArrayList<>();

    public OrderDatabase(Construct scope, String id, NetworkStack network, EnvironmentSize size) {
        super(scope, id);
        SubnetSelection isolated = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
        InstanceType instanceType = new InstanceType(size.dbInstanceClass());
        RemovalPolicy removal = size.production() ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;
        writer = DatabaseInstance.Builder.create(this, "Writer")
                .engine(DatabaseInstanceEngine.mysql(MySqlInstanceEngineProps.builder()
                        .version(MysqlEngineVersion.VER_8_4_7).build()))
                .instanceType(instanceType)
                .databaseName(DATABASE_NAME)
                .credentials(Credentials.fromGeneratedSecret("miaosha"))
                .vpc(network.vpc())
                .vpcSubnets(isolated)
                .securityGroups(List.of(network.mysqlGroup()))
                .publiclyAccessible(false)
                .storageEncrypted(true)
                .iamAuthentication(true)
                .multiAz(size.dbMultiAz())
                .allocatedStorage(size.production() ? 200 : 20)
                .backupRetention(Duration.days(size.production() ? 14 : 1))
                .cloudwatchLogsExports(List.of("error", "slowquery"))
                .deletionProtection(size.production())
                .removalPolicy(removal)
                .build();
        for (int i = 1; i <= size.dbReadReplicas(); i++) {
            replicas.add(DatabaseInstanceReadReplica.Builder.create(this, "Replica" + i)
                    .sourceDatabaseInstance(writer)
                    .instanceType(instanceType)
                    .vpc(network.vpc())
                    .vpcSubnets(isolated)
                    .securityGroups(List.of(network.mysqlGroup()))
                    .publiclyAccessible(false)
                    // Encryption is inherited from the writer; CloudFormation rejects setting it here.
                    .iamAuthentication(true)
                    .deletionProtection(size.production())
                    .removalPolicy(removal)
                    .build());
        }
        suppressFindings(size);
    }

    private void suppressFindings(EnvironmentSize size) {
        List<NagPackSuppression> reasons = new ArrayList<>(List.of(
                NagPackSuppression.builder().id("AwsSolutions-RDS11")
                        .reason("A non-default port hides nothing: isolated subnets, one security group, TLS")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-SMG4")
                        .reason("Master credential rotation is a runbook step: the services read the secret at boot only")
                        .build()));
        if (!size.production()) {
            reasons.add(NagPackSuppression.builder().id("AwsSolutions-RDS3")
                    .reason("The dev size has no standby; prod sets multiAz").build());
            reasons.add(NagPackSuppression.builder().id("AwsSolutions-RDS10")
                    .reason("The dev size is torn down with cdk destroy; prod turns on deletion protection").build());
        }
        NagSuppressions.addResourceSuppressions(this, reasons, true);
        replicas.forEach(replica -> NagSuppressions.addResourceSuppressions(replica, List.of(
                NagPackSuppression.builder().id("AwsSolutions-RDS2")
                        .reason("A read replica inherits the writer's storage encryption; CloudFormation forbids restating it")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-RDS3")
                        .reason("Replicas serve catalog reads only; a lost replica is recreated and the writer (multi-AZ in prod) stays")
                        .build()), true));
    }

    public DatabaseInstance writer() {
        return writer;
    }

    public List<DatabaseInstanceReadReplica> replicas() {
        return replicas;
    }

    public ISecret credentials() {
        return writer.getSecret();
    }
}
