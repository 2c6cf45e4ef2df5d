package io.miaosha.infra.network;

import io.miaosha.infra.EnvironmentSize;
import software.amazon.awscdk.StackProps;

/**
 * @param stack                the account/region of the stack
 * @param size                 how many zones and NAT gateways
 * @param cloudFrontPrefixList origin-facing prefix list that alone may reach the ALB, or null
 */
public record NetworkStackProps(StackProps stack, EnvironmentSize size, String cloudFrontPrefixList) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private StackProps stack = StackProps.builder().build();
        private EnvironmentSize size = EnvironmentSize.dev();
        private String cloudFrontPrefixList;

        public Builder stack(StackProps stack) {
            this.stack = stack;
            return this;
        }

        public Builder size(EnvironmentSize size) {
            this.size = size;
            return this;
        }

        public Builder cloudFrontPrefixList(String prefixListId) {
            this.cloudFrontPrefixList = prefixListId;
            return this;
        }

        public NetworkStackProps build() {
            return new NetworkStackProps(stack, size, cloudFrontPrefixList);
        }
    }
}
