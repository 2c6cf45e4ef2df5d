package io.miaosha.infra.edge;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.services.ServicesStack;
import software.amazon.awscdk.StackProps;

import java.util.Objects;

/**
 * @param stack    the account/region of the stack
 * @param size     price class and retention
 * @param services the ALB behind CloudFront and the WAF
 */
public record EdgeStackProps(StackProps stack, EnvironmentSize size, ServicesStack services) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private StackProps stack = StackProps.builder().build();
        private EnvironmentSize size = EnvironmentSize.dev();
        private ServicesStack services;

        public Builder stack(StackProps stack) {
            this.stack = stack;
            return this;
        }

        public Builder size(EnvironmentSize size) {
            this.size = size;
            return this;
        }

        public Builder services(ServicesStack services) {
            this.services = services;
            return this;
        }

        public EdgeStackProps build() {
            return new EdgeStackProps(stack, size, Objects.requireNonNull(services, "services"));
        }
    }
}
