package io.miaosha.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Metrics;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health, metrics with purchase outcomes, and the OpenAPI document. */
@QuarkusTest
class ObservabilityTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;

    @Test
    void healthIsUpWithTheStoresChecked() {
        // The broker channels connect in the background right after start (and the relay's first
        // publish may find its channel still opening); health is asserted once they settled.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200
                && given().get("/q/health").statusCode() == 200);
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsCountPurchaseOutcomes() {
        long saleId = sales.live(5, 1);
        double accepted = Metrics.purchaseOutcome("accepted");
        double limitReached = Metrics.purchaseOutcome("limit_reached");
        var shopper = users.shopper();
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON).body("{\"quantity\":1}")
                    .post("/api/sales/" + saleId + "/purchase");
        }

        given().get("/q/metrics").then().statusCode(200).body(containsString("miaosha_purchase_outcomes_total"));
        assertEquals(accepted + 1, Metrics.purchaseOutcome("accepted"));
        assertEquals(limitReached + 1, Metrics.purchaseOutcome("limit_reached"));
    }

    @Test
    void openApiDescribesThePublicEndpoints() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/sales/{id}/purchase"))
                .body(containsString("/api/auth/login"))
                .body(containsString("/api/admin/sales"))
                .body(containsString("/api/me/orders"));
    }

    @Test
    void pingAnswersNoContent() {
        given().get("/api/ping").then().statusCode(204);
    }
}
