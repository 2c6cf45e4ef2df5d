package io.miaosha.infra.services;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.Required;
import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.network.NetworkStack;
import software.amazon.awscdk.StackProps;

/**
 * @param stack                the account/region of the stack
 * @param size                 instance type and group capacities
 * @param network              VPC and security groups
 * @param data                 the stores whose endpoints and secrets the services receive
 * @param releaseBaseUrl       where {@code <version>/<service>-linux-amd64} binaries are downloaded from
 * @param releaseVersion       the release the instances run
 * @param originCertificateArn the ACM certificate of the ALB's HTTPS listener (the origin name CloudFront uses)
 * @param storefrontUrl        where shoppers reach the storefront, which the API's verification emails link to
 */
public record ServicesStackProps(StackProps stack, EnvironmentSize size, NetworkStack network, DataStack data,
                                 String releaseBaseUrl, String releaseVersion, String originCertificateArn,
                                 String storefrontUrl) {

    public ServicesStackProps {
        Required.values("stack", stack, "size", size, "network", network, "data", data,
                "releaseBaseUrl", releaseBaseUrl, "releaseVersion", releaseVersion, "originCertificateArn", originCertificateArn,
                "storefrontUrl", storefrontUrl);
    }
}
