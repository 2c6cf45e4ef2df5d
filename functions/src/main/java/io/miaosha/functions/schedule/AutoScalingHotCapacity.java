package io.miaosha.functions.schedule;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * {@link HotCapacity} through the Auto Scaling API. Raising the minimum along with the desired
 * size keeps a scale-in policy from shrinking the group before the crowd arrives.
 */
public class AutoScalingHotCapacity implements HotCapacity {

    private final AutoScalingClient autoScaling;
    private final String groupName;

    public AutoScalingHotCapacity(AutoScalingClient autoScaling, String groupName) {
        this.autoScaling = autoScaling;
        this.groupName = groupName;
    }

    @Override
    public void scaleTo(int instances) {
        autoScaling.updateAutoScalingGroup(request -> request
                .autoScalingGroupName(groupName)
                .minSize(instances)
                .desiredCapacity(instances));
    }
}
