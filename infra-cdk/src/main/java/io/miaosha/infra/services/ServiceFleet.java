package io.miaosha.infra.services;

import io.miaosha.infra.EnvironmentSize;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.Ec2HealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

import java.util.List;

/**
 * One Auto Scaling group of small instances running one native binary. Instances live in the
 * private subnets, are replaced when the load balancer (or, for the worker, EC2) reports them
 * unhealthy, and allow only IMDSv2 so that a request-forgery bug cannot read the role's keys.
 */
public class ServiceFleet extends Construct {

    /** Download of the binary plus a native start: well under a minute; the rest is slack. */
    private static final Duration BOOT_GRACE = Duration.seconds(90);

    private final AutoScalingGroup group;

    /**
     * @param behindLoadBalancer whether the ALB's health checks decide replacement (the worker has none)
     */
    public ServiceFleet(Construct scope, String id, IVpc vpc, SecurityGroup securityGroup, IRole role,
                        EnvironmentSize size, EnvironmentSize.Capacity capacity, BootScript boot,
                        boolean behindLoadBalancer, ITopic scalingEvents) {
        super(scope, id);
        LaunchTemplate template = LaunchTemplate.Builder.create(this, "LaunchTemplate")
                .machineImage(MachineImage.latestAmazonLinux2023())
                .instanceType(new InstanceType(size.serviceInstance()))
                .securityGroup(securityGroup)
                .role(role)
                .userData(boot.toUserData())
                .requireImdsv2(true)
                .blockDevices(List.of(BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(16, EbsDeviceOptions.builder()
                                .encrypted(true)
                                .volumeType(EbsDeviceVolumeType.GP3)
                                .build()))
                        .build()))
                .build();
        group = AutoScalingGroup.Builder.create(this, "Group")
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .launchTemplate(template)
                .minCapacity(capacity.min())
                .maxCapacity(capacity.max())
                .healthChecks(behindLoadBalancer
                        ? HealthChecks.withAdditionalChecks(AdditionalHealthChecksOptions.builder()
                                .additionalTypes(List.of(AdditionalHealthCheckType.ELB))
                                .gracePeriod(BOOT_GRACE).build())
                        : HealthChecks.ec2(Ec2HealthChecksOptions.builder().gracePeriod(BOOT_GRACE).build()))
                .notifications(List.of(NotificationConfiguration.builder().topic(scalingEvents).build()))
                .build();
    }

    public AutoScalingGroup group() {
        return group;
    }
}
