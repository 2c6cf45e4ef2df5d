package io.miaosha.api.account;

import io.miaosha.common.secrets.Setting;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A production flash-sale-api refuses to start unless the storefront address its verification emails
 * link to is a public https URL: the dev and test profiles default to http://localhost:8000, and a
 * deployment that forgot to set it would mail every shopper a link to their own machine. As with the
 * test payment provider, "production" is any start outside the dev and test profiles (the run command
 * and the checks start the packaged jar with QUARKUS_PROFILE=dev and their local nginx address).
 * Not a secret, so not among ProductionSecretsAtStartup's settings; observed as early, before anything is served.
 */
@ApplicationScoped
public class StorefrontUrlAtStartup {

    static final Setting STOREFRONT_URL = new Setting("miaosha.account.verification.storefront-url", "MIAOSHA_STOREFRONT_URL");

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    void refuseALocalStorefront(@Observes @Priority(1) StartupEvent event, AccountConfig config) {
        check(config.verification().storefrontUrl(), LaunchMode.current(), ConfigUtils.getProfiles())
                .ifPresent(refusal -> {
                    throw new IllegalStateException("flash-sale-api refuses to start: " + refusal);
                });
    }

    /** Why this storefront address may not be used, or empty when it may (or the profile is dev or test). */
    static Optional<String> check(Optional<String> url, LaunchMode mode, List<String> profiles) {
        if (mode.isDevOrTest() || profiles.contains("dev") || profiles.contains("test")) {
            return Optional.empty();
        }
        String what = "; verification emails link to it. Set " + STOREFRONT_URL.environmentVariable()
                + " to the https address shoppers reach the storefront at, e.g. https://shop.example"
                + " (the CDK app passes its storefrontUrl context value; see the README, Configuration).";
        String value = url.map(String::strip).filter(text -> !text.isEmpty()).orElse(null);
        if (value == null) {
            return Optional.of(STOREFRONT_URL + " is not set" + what);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of(STOREFRONT_URL + " = " + value + " is not a URL (" + e.getMessage() + ")" + what);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of(STOREFRONT_URL + " = " + value + " is not an https URL" + what);
        }
        if (uri.getHost() == null || local(uri.getHost())) {
            return Optional.of(STOREFRONT_URL + " = " + value + " names no public host (localhost or a loopback"
                    + " address reaches the shopper's own machine)" + what);
        }
        return Optional.empty();
    }

    /** localhost, *.localhost, or a loopback or wildcard address literal; names are not looked up. */
    private static boolean local(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        boolean literal = IPV4.matcher(name).matches() || name.startsWith("[");
        if (!literal) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(name.replace("[", "").replace("]", ""));
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
