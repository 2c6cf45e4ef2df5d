package io.miaosha.infra.data;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.Required;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.StackProps;

/**
 * @param stack   the account/region of the stack
 * @param size    instance classes, shard and replica counts
 * @param network the VPC and the stores' security groups
 */
public record DataStackProps(StackProps stack, EnvironmentSize size, NetworkStack network) {

    public DataStackProps {
        Required.values("stack", stack, "size", size, "network", network);
    }
}
