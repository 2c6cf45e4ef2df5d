package io.miaosha.api.dashboard;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.api.arming.SaleArmer;
import io.miaosha.common.queue.QueueAdmitScript;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.queue.QueueLeaveScript;
import io.miaosha.common.sale.ReleaseHoldScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SaleStatsResourceTest {

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    SaleArmer armer;

    @Test
    void statsCountUnitsLeftHeldAndSoldFromRedisAndListTheLatestOrdersFromMySql() {
        long saleId = sales.live(10, 3);
        TestUser first = users.shopper();
        TestUser second = users.shopper();
        String paidOrder = buy(first, saleId, 2);
        buy(second, saleId, 1);
        // What the payment flow writes when an order is paid: the hold's status becomes PAID.
        String hold = stores.holds(saleId).get(paidOrder);
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).holds(), paidOrder, hold.replace("|PENDING", "|PAID"));
        Instant older = Instant.parse("2026-01-01T10:00:00Z");
        String olderId = UUID.randomUUID().toString();
        String newerId = UUID.randomUUID().toString();
        insertOrder(olderId, saleId, first.id(), older);
        insertOrder(newerId, saleId, second.id(), older.plusSeconds(5));

        given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/stats")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("saleId", equalTo((int) saleId))
                .body("status", equalTo("LIVE"))
                .body("stock", equalTo(10))
                .body("unitsLeft", equalTo(7))
                .body("unitsHeld", equalTo(1))
                .body("unitsSold", equalTo(2))
                .body("ordersAccepted", equalTo(2))
                .body("latestOrders", hasSize(2))
                .body("latestOrders[0].id", equalTo(newerId))
                .body("latestOrders[1].id", equalTo(olderId))
                .body("latestOrders[0].userId", equalTo((int) second.id()));
    }

    @Test
    void theTallyTheScriptsKeepUnderConcurrentPurchasesPaymentsAndReleasesMatchesTheHolds() throws Exception {
        long saleId = sales.live(500, 2);
        buy(users.shopper(), saleId, 1);
        stats(saleId); // the first look makes the tally from the holds; the scripts keep it from now on
        List<TestUser> shoppers = IntStream.range(0, 60).mapToObj(i -> users.shopper()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ReleaseHoldScript release = new ReleaseHoldScript(reactiveRedis);
        long later = System.currentTimeMillis() + 3_600_000;
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < shoppers.size(); i++) {
                TestUser shopper = shoppers.get(i);
                int kind = i % 3;
                work.add(pool.submit(() -> {
                    String order = buy(shopper, saleId, 1 + kind % 2);
                    if (kind == 1) {
                        given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "tally-" + order)
                                .contentType(ContentType.JSON).body("{\"cardNumber\":\"4242424242424242\"}")
                                .post("/api/orders/" + order + "/pay").then().statusCode(200);
                    } else if (kind == 2) {
                        release.run(saleId, order, later).await().atMost(Duration.ofSeconds(10));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> kept = stats(saleId);
        stores.redis().key().del(new SaleKeys(saleId).tally());
        Map<String, Object> fromHolds = stats(saleId);
        assertEquals(fromHolds, kept, "the tally kept by the scripts vs one made from the holds");
        assertEquals(61, ((Number) kept.get("ordersAccepted")).intValue());
        assertEquals(20 * 2, ((Number) kept.get("unitsSold")).intValue(), "the paid orders, 2 units each");
        assertEquals(1 + 20, ((Number) kept.get("unitsHeld")).intValue(), "the first order and the unpaid ones not released");
    }

    private Map<String, Object> stats(long saleId) {
        Map<String, Object> body = given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/stats")
                .then().statusCode(200).extract().jsonPath().getMap("$");
        return Map.of("unitsHeld", body.get("unitsHeld"), "unitsSold", body.get("unitsSold"),
                "ordersAccepted", body.get("ordersAccepted"), "unitsLeft", body.get("unitsLeft"));
    }

    @Test
    void aSaleNeverArmedShowsItsWholeStockAndNoOrders() {
        long saleId = sales.upcoming(5, 1);

        given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/stats")
                .then().statusCode(200)
                .body("status", equalTo("UPCOMING"))
                .body("unitsLeft", equalTo(5))
                .body("unitsHeld", equalTo(0))
                .body("unitsSold", equalTo(0))
                .body("ordersAccepted", equalTo(0))
                .body("admitted", equalTo(0))
                .body("latestOrders", hasSize(0));
        assertEquals(0, stores.keys(saleId).size(), "reading stats writes no Redis key");
    }

    /**
     * The conversion's first step: every shopper the waiting room lets in is counted by queue_admit.lua
     * itself (capacity 2 of 4 waiting: 2, then the third once a slot is free: 3), and a ticket skipped
     * because its shopper already reached the limit (the fourth, at the next free slot) is not.
     */
    @Test
    void admissionsAreCountedByTheAdmissionScriptForTheConversion() {
        long saleId = sales.liveQueued(10, 1, 2);
        armer.armById(saleId).await().atMost(Duration.ofSeconds(10));
        long now = System.currentTimeMillis();
        QueueAdmitScript admit = new QueueAdmitScript(reactiveRedis);
        for (int user = 1; user <= 4; user++) {
            new QueueJoinScript(reactiveRedis).run(saleId, user, now - 5000 + user, "ticket-" + user)
                    .await().atMost(Duration.ofSeconds(5));
        }
        // Shopper 4 already holds the most a shopper may (bought on another device while waiting).
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).userUnits(), "4", "1");
        admit.run(saleId, new QueueAdmitScript.Tick(now - 3000, 60_000, 1000, 60_000)).await().atMost(Duration.ofSeconds(5));
        assertEquals(2, admittedShown(saleId));

        new QueueLeaveScript(reactiveRedis).run(saleId, 1).await().atMost(Duration.ofSeconds(5));
        admit.run(saleId, new QueueAdmitScript.Tick(now - 2000, 60_000, 1000, 60_000)).await().atMost(Duration.ofSeconds(5));
        assertEquals(3, admittedShown(saleId), "shopper 3 took the slot shopper 1 left");
        new QueueLeaveScript(reactiveRedis).run(saleId, 2).await().atMost(Duration.ofSeconds(5));
        admit.run(saleId, new QueueAdmitScript.Tick(now - 1000, 60_000, 1000, 60_000)).await().atMost(Duration.ofSeconds(5));

        assertEquals(3, admittedShown(saleId), "shoppers 1, 2 and 3 were let in; 4 was skipped");
        assertEquals("3", stores.redis().hash(String.class).hget(new QueueKeys(saleId).stats(), "admitted"));
    }

    private int admittedShown(long saleId) {
        return given().header("Authorization", users.admin().bearer()).get("/api/admin/sales/" + saleId + "/stats")
                .then().statusCode(200).extract().path("admitted");
    }

    @Test
    void statsAreForAdminsOnlyAndUnknownSalesAreNotFound() {
        long saleId = sales.live(5, 1);

        assertProblem(given().get("/api/admin/sales/" + saleId + "/stats").then(), 401, "not-authenticated");
        assertProblem(given().header("Authorization", users.shopper().bearer())
                .get("/api/admin/sales/" + saleId + "/stats").then(), 403, "forbidden");
        assertProblem(given().header("Authorization", users.admin().bearer())
                .get("/api/admin/sales/987654321/stats").then(), 404, "not-found");
    }

    private static String buy(TestUser shopper, long saleId, int quantity) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("quantity", quantity)).post("/api/sales/" + saleId + "/purchase")
                .then().statusCode(202).extract().path("orderId");
    }

    private void insertOrder(String id, long saleId, long userId, Instant createdAt) {
        LocalDateTime at = LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC);
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
                VALUES (?, ?, ?, 1, 1999, 1999, 'EUR', 'PENDING_PAYMENT', ?, ?)""", id, saleId, userId, at.plusMinutes(5), at);
    }
}
