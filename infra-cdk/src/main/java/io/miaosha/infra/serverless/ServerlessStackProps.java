package io.miaosha.infra.serverless;

import io.miaosha.infra.EnvironmentSize;
import io.miaosha.infra.Required;
import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.services.ServicesStack;
import software.amazon.awscdk.StackProps;

import java.nio.file.Path;

/**
 * @param stack          the account/region of the stack
 * @param size           function memory
 * @param data           the email queue
 * @param services       the hot group to scale and the arming key
 * @param apiUrl         the public base URL (CloudFront) the scheduled-start function calls to arm sales
 * @param functionsAsset the functions module's zip (or the placeholder directory)
 * @param emailSender    the SES identity (domain or address) the email function sends from
 */
public record ServerlessStackProps(StackProps stack, EnvironmentSize size, DataStack data, ServicesStack services,
                                   String apiUrl, Path functionsAsset, String emailSender) {

    public ServerlessStackProps {
        Required.values("stack", stack, "size", size, "data", data, "services", services,
                "apiUrl", apiUrl, "functionsAsset", functionsAsset, "emailSender", emailSender);
    }
}
