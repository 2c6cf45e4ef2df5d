package io.miaosha.api.payment.stripe;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The API with {@code miaosha.payment.provider=stripe}, pointed at a {@link StripeStub} on a free
 * port. The read timeout is short so a lost response is noticed in a second, not in twenty.
 */
public class StripeProfile implements QuarkusTestProfile {

    public static final String API_KEY = "sk_test_miaoshaStub0123456789";

    private static volatile StripeStub stub;

    /** The stub of the running application. */
    public static StripeStub stub() {
        return stub;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "miaosha.payment.provider", "stripe",
                "%test.miaosha.payment.provider", "stripe",
                "miaosha.payment.stripe.api-key", API_KEY,
                "miaosha.payment.stripe.read-timeout", "PT1S",
                "miaosha.payment.back-off", "PT0.05S",
                "miaosha.payment.in-flight-wait", "PT0.5S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StubResource.class));
    }

    public static class StubResource implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                stub = new StripeStub(API_KEY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("miaosha.payment.stripe.api-base", stub.baseUrl());
        }

        @Override
        public void stop() {
            if (stub != null) {
                stub.close();
            }
        }
    }
}
