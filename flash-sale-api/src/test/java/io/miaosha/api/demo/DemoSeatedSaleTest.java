package io.miaosha.api.demo;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's demo seated sale: seeded at startup, once, on its 384-seat venue, and armed with every seat. */
@QuarkusTest
@TestProfile(DemoSeatedSaleTest.DemoOn.class)
class DemoSeatedSaleTest {

    public static class DemoOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.demo.enabled", "true");
        }
    }

    @Inject
    Stores stores;

    @Test
    void demoSeatedSaleIsSeededOnceAndArmedWithItsSeats() {
        await().atMost(Duration.ofSeconds(30)).until(() -> stores.count(
                "SELECT COUNT(*) FROM sales s JOIN products p ON p.id = s.product_id WHERE p.sku = ?", DemoSeatedSale.PRODUCT_SKU) == 1);
        long saleId = stores.count("SELECT s.id FROM sales s JOIN products p ON p.id = s.product_id WHERE p.sku = ?",
                DemoSeatedSale.PRODUCT_SKU);
        await().atMost(Duration.ofSeconds(30)).until(() -> stores.redis().key().exists(new SaleKeys(saleId).seats()));
        // After the unit demo sale, whose id the README and the checks queue for.
        long unitDemoSaleId = stores.count("SELECT s.id FROM sales s JOIN products p ON p.id = s.product_id WHERE p.sku = ?",
                DemoData.PRODUCT_SKU);
        assertTrue(unitDemoSaleId > 0 && unitDemoSaleId < saleId, "the unit demo sale " + unitDemoSaleId + " comes first");

        assertEquals(384, stores.count("SELECT seat_count FROM sales s JOIN venues v ON v.id = s.venue_id WHERE s.id = ?", saleId));
        given().get("/api/sales/" + saleId + "/seats").then().statusCode(200)
                .body("areas.name", org.hamcrest.Matchers.equalTo(java.util.List.of("Stalls", "Circle", "Balcony")))
                .body("areas.priceMinor", org.hamcrest.Matchers.equalTo(java.util.List.of(8900, 6500, 3900)));
        assertEquals(384, stores.redis().value(String.class).get(new SaleKeys(saleId).seats()).length());
    }
}
