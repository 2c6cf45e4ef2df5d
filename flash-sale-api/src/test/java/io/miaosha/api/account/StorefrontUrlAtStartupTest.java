package io.miaosha.api.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The startup decision alone; ProductionSecretsIT proves the packaged jar acts on it. */
class StorefrontUrlAtStartupTest {

    private static final List<String> PROD = List.of("prod");

    @Test
    void aPublicHttpsAddressPasses() {
        assertEquals(Optional.empty(), check("https://shop.example"));
        assertEquals(Optional.empty(), check("https://shop.example:8443/store"));
        assertEquals(Optional.empty(), check("https://203.0.113.7"));
    }

    @Test
    void noAddressIsRefusedNamingTheSettingAndWhatToSet() {
        for (Optional<String> url : List.of(Optional.<String>empty(), Optional.of("  "))) {
            String refusal = StorefrontUrlAtStartup.check(url, LaunchMode.NORMAL, PROD).orElseThrow();
            assertTrue(refusal.startsWith("miaosha.account.verification.storefront-url (environment variable"
                    + " MIAOSHA_STOREFRONT_URL) is not set"), refusal);
            assertTrue(refusal.contains("Set MIAOSHA_STOREFRONT_URL to the https address"), refusal);
        }
    }

    @Test
    void plainHttpIsRefused() {
        assertTrue(check("http://shop.example").orElseThrow().contains("is not an https URL"));
    }

    @Test
    void localhostAndLoopbackAreRefused() {
        for (String url : List.of("https://localhost", "https://LOCALHOST:8000", "https://shop.localhost",
                "https://127.0.0.1", "https://127.1.2.3:443", "https://[::1]", "https://0.0.0.0")) {
            assertTrue(check(url).orElseThrow().contains("names no public host"), url);
        }
    }

    @Test
    void somethingThatIsNoUrlIsRefused() {
        assertTrue(check("https://shop example").orElseThrow().contains("is not a URL"));
        assertTrue(check("shop.example").orElseThrow().contains("is not an https URL"));
    }

    @Test
    void theDevAndTestProfilesKeepTheirLocalDefault() {
        assertEquals(Optional.empty(), StorefrontUrlAtStartup.check(Optional.of("http://localhost:8000"), LaunchMode.NORMAL, List.of("dev")));
        assertEquals(Optional.empty(), StorefrontUrlAtStartup.check(Optional.of("http://localhost:8000"), LaunchMode.TEST, PROD));
    }

    private static Optional<String> check(String url) {
        return StorefrontUrlAtStartup.check(Optional.of(url), LaunchMode.NORMAL, PROD);
    }
}
