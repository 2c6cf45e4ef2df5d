package io.miaosha.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppSettingsTest {

    @Test
    void sizeComesFromContextAndDefaultsToDev() {
        assertEquals("dev", settings(Map.of()).size().name());
        assertEquals("prod", settings(Map.of("size", "prod")).size().name());
    }

    @Test
    void anUnknownSizeIsRefusedWithTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(Map.of("size", "huge")));
        assertEquals("unknown size 'huge': use -c size=dev or -c size=prod", e.getMessage());
    }

    @Test
    void aMissingFunctionsZipFallsBackToThePlaceholder() {
        assertEquals(AppSettings.PLACEHOLDER_FUNCTION, settings(Map.of("functionsZip", "target/absent.zip")).functionsAsset());
    }

    @Test
    void everySizeKeepsAReadReplicaAndTwoZones() {
        assertThrows(IllegalArgumentException.class, () -> new EnvironmentSize("tiny", 1, 0, "n", 1, "c", false, 1,
                "b", false, "i", new EnvironmentSize.Capacity(1, 1), new EnvironmentSize.Capacity(1, 1),
                new EnvironmentSize.Capacity(1, 1), new EnvironmentSize.Capacity(1, 1), 512, false));
    }

    @Test
    void anOriginWithoutItsNameOrCertificateIsRefusedNamingTheContextValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppSettings.fromContext(
                App.Builder.create().context(Map.of("originDomain", Topology.ORIGIN_DOMAIN)).build().getNode()));
        assertTrue(e.getMessage().startsWith("missing context value originCertificateArn: pass -c originCertificateArn="), e.getMessage());
    }

    @Test
    void aMissingStorefrontUrlIsRefusedSayingWhatItIs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppSettings.fromContext(
                App.Builder.create().context(Map.of("originDomain", Topology.ORIGIN_DOMAIN,
                        "originCertificateArn", Topology.ORIGIN_CERTIFICATE)).build().getNode()));
        assertEquals("missing context value storefrontUrl: pass -c storefrontUrl=... (the address shoppers reach the"
                + " storefront at, e.g. https://shop.example; verification emails link to it; infra-cdk/README.md,"
                + " Deploy to AWS)", e.getMessage());
    }

    @Test
    void theStorefrontUrlComesFromContext() {
        assertEquals("https://drops.example", settings(Map.of("storefrontUrl", "https://drops.example")).storefrontUrl());
    }

    /** The given context plus the three values every synth needs. */
    private static AppSettings settings(Map<String, Object> context) {
        Map<String, Object> full = new java.util.HashMap<>(Map.of(
                "originDomain", Topology.ORIGIN_DOMAIN, "originCertificateArn", Topology.ORIGIN_CERTIFICATE,
                "storefrontUrl", Topology.STOREFRONT_URL));
        full.putAll(context);
        return AppSettings.fromContext(App.Builder.create().context(full).build().getNode());
    }
}
