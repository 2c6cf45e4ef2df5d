package io.miaosha.infra.services;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.StackProps;

import java.util.Objects;

/**
 * @param stack          the account/region of the stack
 * @param size           instance type and group capacities
 * @param network        VPC and security groups
 * @param data           the stores whose endpoints and secrets the services receive
 * @param releaseBaseUrl where {@code <version>/<service>-linux-amd64} binaries are downloaded from
 * @param releaseVersion the release the instances run
 */
public record ServicesStackProps(StackProps stack, EnvironmentSize size, NetworkStack network, DataStack data,
                                 String releaseBaseUrl, String releaseVersion) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private StackProps stack = StackProps.builder().build();
        private EnvironmentSize size = EnvironmentSize.dev();
        private NetworkStack network;
        private DataStack data;
        private String releaseBaseUrl;
        private String releaseVersion;

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

        public Builder data(DataStack data) {
            this.data = data;
            return this;
        }

        public Builder release(String baseUrl, String version) {
            this.releaseBaseUrl = baseUrl;
            this.releaseVersion = version;
            return this;
        }

        public ServicesStackProps build() {
            return new ServicesStackProps(stack, size, Objects.requireNonNull(network, "network"),
                    Objects.requireNonNull(data, "data"), Objects.requireNonNull(releaseBaseUrl, "releaseBaseUrl"),
                    Objects.requireNonNull(releaseVersion, "releaseVersion"));
        }
    }
}
