package io.miaosha.infra;

import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything the app reads from CDK context ({@code cdk.json} or {@code -c key=value}), in one
 * place so that the README's table of context values is this class.
 *
 * @param size                  dev or prod numbers
 * @param region                where every stack goes (the WAF is regional, so one region suffices)
 * @param account               the target account, or null for an account-agnostic synth
 * @param releaseBaseUrl        where the instances download the native binaries from
 * @param releaseVersion        the release tag the instances run
 * @param functionsAsset        the functions module's Lambda zip, or the placeholder when it is not built
 * @param emailSender           the verified SES identity the email function may send from
 * @param cloudFrontPrefixList  the region's CloudFront origin-facing prefix list id; null looks it up at deploy
 *                              time by its name (the ALB admits CloudFront only either way)
 * @param originDomain          the name CloudFront reaches the ALB at over HTTPS (a DNS record of yours
 *                              pointing at the ALB); required, there is no plain-HTTP origin
 * @param originCertificateArn  the ACM certificate for {@code originDomain}, in the app's region; required
 * @param storefrontUrl         the address shoppers reach the storefront at (https), where the verification
 *                              emails link to; required, the API refuses to start without a public https one
 */
public record AppSettings(
        EnvironmentSize size,
        String region,
        String account,
        String releaseBaseUrl,
        String releaseVersion,
        Path functionsAsset,
        String emailSender,
        String cloudFrontPrefixList,
        String originDomain,
        String originCertificateArn,
        String storefrontUrl) {

    /** Shipped in this module so that synth works before the functions module is built. */
    public static final Path PLACEHOLDER_FUNCTION = Path.of("placeholder-function");

    public static AppSettings fromContext(Node node) {
        Path functionsZip = Path.of(text(node, "functionsZip", "../functions/target/function.zip"));
        return new AppSettings(
                EnvironmentSize.named(text(node, "size", "dev")),
                text(node, "region", firstNonBlank(System.getenv("CDK_DEFAULT_REGION"), "us-east-1")),
                text(node, "account", System.getenv("CDK_DEFAULT_ACCOUNT")),
                text(node, "releaseBaseUrl", "https://github.com/miaosha-dev/miaosha/releases/download"),
                text(node, "releaseVersion", "v1.0.0"),
                Files.isRegularFile(functionsZip) ? functionsZip : PLACEHOLDER_FUNCTION,
                text(node, "emailSender", "miaosha.dev"),
                text(node, "cloudFrontPrefixList", null),
                required(node, "originDomain", "the name CloudFront reaches the load balancer at over HTTPS, e.g. origin.shop.example"),
                required(node, "originCertificateArn", "the ACM certificate of that name in the app's region"),
                required(node, "storefrontUrl", "the address shoppers reach the storefront at, e.g. https://shop.example;"
                        + " verification emails link to it"));
    }

    /**
     * The origin is HTTPS only, so its name and certificate have no default, nor has the storefront's
     * address (a default would be somebody else's shop): synth stops and says what to set.
     */
    private static String required(Node node, String key, String meaning) {
        String value = text(node, key, null);
        if (value == null) {
            throw new IllegalArgumentException("missing context value " + key + ": pass -c " + key + "=... (" + meaning
                    + "; infra-cdk/README.md, Deploy to AWS)");
        }
        return value;
    }

    private static String text(Node node, String key, String fallback) {
        Object value = node.tryGetContext(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }

    private static String firstNonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
