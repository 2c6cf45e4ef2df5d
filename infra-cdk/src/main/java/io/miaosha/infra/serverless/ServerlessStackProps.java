package io.miaosha.infra.serverless;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.services.ServicesStack;
import software.amazon.awscdk.StackProps;

import java.nio.file.Path;
import java.util.Objects;

/**
 * @param stack          the account/region of the stack
 * @param size           function memory
 * @param data           the email queue
 * @param services       the hot group to scale and the arming key
 * @param apiUrl         the public base URL (CloudFront) the scheduled-start function calls to arm a sale
 * @param functionsAsset the functions module's zip (or the placeholder directory)
 * @param emailSender    the SES identity (domain or address) the email function sends from
 */
public record ServerlessStackProps(StackProps stack, EnvironmentSize size, DataStack data, ServicesStack services,
                                   String apiUrl, Path functionsAsset, String emailSender) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private StackProps stack = StackProps.builder().build();
        private EnvironmentSize size = EnvironmentSize.dev();
        private DataStack data;
        private ServicesStack services;
        private String apiUrl;
        private Path functionsAsset;
        private String emailSender;

        public Builder stack(StackProps stack) {
            this.stack = stack;
            return this;
        }

        public Builder size(EnvironmentSize size) {
            this.size = size;
            return this;
        }

        public Builder data(DataStack data) {
            this.data = data;
            return this;
        }

        public Builder services(ServicesStack services) {
            this.services = services;
            return this;
        }

        public Builder apiUrl(String apiUrl) {
            this.apiUrl = apiUrl;
            return this;
        }

        public Builder functionsAsset(Path functionsAsset) {
            this.functionsAsset = functionsAsset;
            return this;
        }

        public Builder emailSender(String emailSender) {
            this.emailSender = emailSender;
            return this;
        }

        public ServerlessStackProps build() {
            return new ServerlessStackProps(stack, size, Objects.requireNonNull(data, "data"),
                    Objects.requireNonNull(services, "services"), Objects.requireNonNull(apiUrl, "apiUrl"),
                    Objects.requireNonNull(functionsAsset, "functionsAsset"),
                    Objects.requireNonNull(emailSender, "emailSender"));
        }
    }
}
