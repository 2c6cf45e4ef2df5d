package io.miaosha.functions.schedule;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * {@link HotCapacity} through the Auto Scaling API. Raising the minimum keeps a scale-in policy from
 * shrinking the group before the crowd arrives; when the new minimum exceeds the group's desired
 * capacity, Auto Scaling raises the desired capacity to it.
 */
public class AutoScalingHotCapacity implements HotCapacity {

    private final AutoScalingClient autoScaling;
    private final String groupName;

    public AutoScalingHotCapacity(AutoScalingClient autoScaling, String groupName) {
        this.autoScaling = autoScaling;
        this.groupName = groupName;
    }

    @Override
    public void ensureAtLeast(int instances) {
        autoScaling.updateAutoScalingGroup(request -> request
                .autoScalingGroupName(groupName)
                .minSize(instances));
    }

    @Override
    public void scaleTo(int instances) {
        autoScaling.updateAutoScalingGroup(request -> request
                .autoScalingGroupName(groupName)
                .minSize(instances)
                .desiredCapacity(instances));
    }
}
