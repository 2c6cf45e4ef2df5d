package io.miaosha.api.admin;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.queue.QueueAdmitScript;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/admin/sales/{id}/queue reads the waiting room the gateway keeps in Redis. */
@QuarkusTest
class AdminQueueViewTest {


    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    SaleArmer armer;
    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void showsQueueLengthShoppersInsideCapacityRateAndOldestWait() {
        long saleId = sales.liveQueued(10, 2, 1);
        armer.armById(saleId).await().atMost(Duration.ofSeconds(10));
        QueueKeys queue = new QueueKeys(saleId);
        long now = System.currentTimeMillis();
        // The loop ticks from the first join on; the first tick only starts the rate's clock.
        new QueueAdmitScript(redis).run(saleId, new QueueAdmitScript.Tick(now - 6000, 60_000, 1000, 60_000))
                .await().atMost(Duration.ofSeconds(5));
        for (int user = 1; user <= 3; user++) {
            new QueueJoinScript(redis).run(saleId, user, now - 5000, "ticket-" + user)
                    .await().atMost(Duration.ofSeconds(5));
        }
        new QueueAdmitScript(redis).run(saleId, new QueueAdmitScript.Tick(now - 4000, 60_000, 1000, 60_000))
                .await().atMost(Duration.ofSeconds(5));
        new QueueAdmitScript(redis).run(saleId, new QueueAdmitScript.Tick(now, 60_000, 1000, 60_000))
                .await().atMost(Duration.ofSeconds(5));

        given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/queue")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("saleId", equalTo((int) saleId))
                .body("queueLength", equalTo(2))
                .body("inside", equalTo(1))
                .body("capacity", equalTo(1))
                .body("admittedPerMinute", greaterThan(0f))
                .body("oldestWaitSeconds", greaterThanOrEqualTo(5));
    }

    @Test
    void unarmedSaleShowsAnEmptyQueueAndUnknownSaleIsNotFound() {
        long saleId = sales.liveQueued(10, 2, 7);
        TestUser admin = users.admin();
        given().header("Authorization", admin.bearer()).get("/api/admin/sales/" + saleId + "/queue")
                .then().statusCode(200).body("queueLength", equalTo(0)).body("capacity", equalTo(7));
        assertProblem(given().header("Authorization", admin.bearer()).get("/api/admin/sales/999999999/queue").then(),
                404, "not-found");
    }

    @Test
    void shoppersMayNotSeeTheQueueView() {
        long saleId = sales.liveQueued(10, 2, 1);
        assertProblem(given().header("Authorization", users.shopper().bearer())
                .get("/api/admin/sales/" + saleId + "/queue").then(), 403, "forbidden");
    }

    @Test
    void adminCreatesASaleBehindTheWaitingRoom() {
        long productId = sales.product();
        Instant opens = Instant.parse("2031-01-01T10:00:00Z");
        given().header("Authorization", users.admin().bearer()).contentType(ContentType.JSON)
                .body(Map.of("productId", productId, "title", "Queued drop", "priceMinor", 100, "currency", "EUR",
                        "stock", 5, "opensAt", opens.toString(), "closesAt", opens.plusSeconds(3600).toString(),
                        "perUserLimit", 1, "queueCapacity", 3, "queueEnabled", true))
                .post("/api/admin/sales").then().statusCode(201).body("queueEnabled", equalTo(true));
    }
}
