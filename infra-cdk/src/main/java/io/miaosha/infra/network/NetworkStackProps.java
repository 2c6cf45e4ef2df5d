package io.miaosha.infra.network;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.Required;
import software.amazon.awscdk.StackProps;

/**
 * @param stack                the account/region of the stack
 * @param size                 how many zones and NAT gateways
 * @param cloudFrontPrefixList origin-facing prefix list that alone may reach the ALB, or null to look it up at deploy time
 */
public record NetworkStackProps(StackProps stack, EnvironmentSize size, String cloudFrontPrefixList) {

    public NetworkStackProps {
        Required.values("stack", stack, "size", size);
    }
}
