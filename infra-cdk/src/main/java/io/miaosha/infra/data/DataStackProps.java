package io.miaosha.infra.data;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.StackProps;

/**
 * @param stack   the account/region of the stack
 * @param size    instance classes, shard and replica counts
 * @param network the VPC and the stores' security groups
 */
public record DataStackProps(StackProps stack, EnvironmentSize size, NetworkStack network) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private StackProps stack = StackProps.builder().build();
        private EnvironmentSize size = EnvironmentSize.dev();
        private NetworkStack network;

        public Builder stack(StackProps stack) {
            this.stack = stack;
            return this;
        }

        public Builder size(EnvironmentSize size) {
            this.size = size;
            return this;
        }

        public Builder network(NetworkStack network) {
            this.network = network;
            return this;
        }

        public DataStackProps build() {
            return new DataStackProps(stack, size, java.util.Objects.requireNonNull(network, "network"));
        }
    }
}
