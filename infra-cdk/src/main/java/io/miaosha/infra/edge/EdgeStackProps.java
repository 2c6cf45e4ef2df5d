package io.miaosha.infra.edge;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.Required;
import io.miaosha.infra.services.ServicesStack;
import software.amazon.awscdk.StackProps;

/**
 * @param stack        the account/region of the stack
 * @param size         price class and retention
 * @param services     the ALB behind CloudFront and the WAF
 * @param originDomain the name CloudFront reaches the ALB at over HTTPS (its listener's certificate)
 */
public record EdgeStackProps(StackProps stack, EnvironmentSize size, ServicesStack services, String originDomain) {

    public EdgeStackProps {
        Required.values("stack", stack, "size", size, "services", services, "originDomain", originDomain);
    }
}
