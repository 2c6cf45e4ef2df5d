package io.miaosha.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The app as the tests see it: built once per size for the whole test run (synthesis costs
 * seconds), with fixed context so that results do not depend on the machine's AWS settings.
 */
public final class Topology {

    private static final Map<String, MiaoshaStacks> APPS = new ConcurrentHashMap<>();
    private static final Map<Stack, Template> TEMPLATES = new ConcurrentHashMap<>();

    private Topology() {
    }

    public static MiaoshaStacks dev() {
        return APPS.computeIfAbsent("dev", Topology::build);
    }

    public static MiaoshaStacks prod() {
        return APPS.computeIfAbsent("prod", Topology::build);
    }

    public static Template template(Stack stack) {
        return TEMPLATES.computeIfAbsent(stack, Template::fromStack);
    }

    /** Resources of one type by logical id, for assertions that look across resources. */
    @SuppressWarnings("unchecked")
    public static Map<String, Map<String, Object>> resources(Template template, String type) {
        Map<String, Object> all = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        all.forEach((id, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    /** A resource's properties as JSON text, for "mentions" checks on CloudFormation intrinsics. */
    public static String json(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> T path(Map<String, Object> resource, String... keys) {
        Object current = resource;
        for (String key : keys) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    /** The origin name, its certificate and the storefront's address, which every synth must be given. */
    public static final String ORIGIN_DOMAIN = "origin.shop.example";
    public static final String ORIGIN_CERTIFICATE = "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000";
    public static final String STOREFRONT_URL = "https://shop.example";

    private static MiaoshaStacks build(String size) {
        App app = App.Builder.create().context(Map.of(
                "size", size,
                "region", "us-east-1",
                "account", "111111111111",
                "originDomain", ORIGIN_DOMAIN,
                "originCertificateArn", ORIGIN_CERTIFICATE,
                "storefrontUrl", STOREFRONT_URL,
                // Always the placeholder, whether or not the functions module has been built.
                "functionsZip", "target/no-such-function.zip")).build();
        return MiaoshaStacks.create(app, AppSettings.fromContext(app.getNode()));
    }

    public static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(Object::toString).toList();
    }
}
