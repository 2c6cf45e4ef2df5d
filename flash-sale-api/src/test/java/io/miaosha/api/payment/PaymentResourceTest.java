package io.miaosha.api.payment;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestStores;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PaymentResourceTest {

    static final String APPROVED = "4242424242424242";
    static final String DECLINED = "4000000000000002";
    static final String TRANSIENT = "4000000000000119";

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;
    @Inject
    TestPaymentProvider provider;

    @Test
    void payingMarksTheHoldPaidChargesOnceAndRelaysOrderPaid() throws Exception {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        try (Broker.Tap paid = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PAID_ROUTING_KEY)) {
            String orderId = buy(shopper, saleId, 2);

            String paymentId = pay(shopper, orderId, APPROVED, "pay-1").then().statusCode(200)
                    .body("orderId", equalTo(orderId))
                    .body("status", equalTo("PAID"))
                    .body("amountMinor", equalTo(2 * 1999))
                    .body("currency", equalTo("EUR"))
                    .extract().path("paymentId");

            String hold = stores.holds(saleId).get(orderId);
            assertTrue(hold.endsWith("|PAID|" + paymentId), hold);
            assertEquals(0, stores.holdDeadlines(saleId), "a paid hold has no deadline any more");
            assertEquals(8, stores.stock(saleId), "paying returns nothing to stock");
            assertEquals(1, provider.chargesMade(orderId));

            await().atMost(Duration.ofSeconds(10)).until(() -> !paid.forSale(saleId).isEmpty());
            var message = paid.forSale(saleId).get(0);
            assertEquals(orderId, message.json().get("orderId").asText());
            assertEquals(paymentId, message.json().get("paymentId").asText());
            assertEquals(shopper.id(), message.json().get("userId").asLong());
            assertEquals(2, message.json().get("quantity").asInt());
            assertEquals(1999, message.json().get("unitPriceMinor").asLong());

            // Paying again, with the same key or another, answers the same and charges nothing.
            pay(shopper, orderId, APPROVED, "pay-1").then().statusCode(200).body("paymentId", equalTo(paymentId));
            pay(shopper, orderId, "5555555555554444", "pay-2").then().statusCode(200).body("paymentId", equalTo(paymentId));
            assertEquals(1, provider.chargesMade(orderId));
            Thread.sleep(300);
            assertEquals(1, paid.forSale(saleId).size(), "one OrderPaid however often it is paid");
            assertEquals(1, stores.outboxEntriesAdded(saleId) - 1, "one payment entry after the purchase entry");
        }
    }

    @Test
    void concurrentPaymentsOfOneOrderChargeOnceAndAnswerTheSame() throws Exception {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "race-" + i;
                answers.add(pool.submit((Callable<Response>) () -> pay(shopper, orderId, APPROVED, key)));
            }
            String first = null;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertEquals(200, response.statusCode(), response.asString());
                String paymentId = response.path("paymentId");
                if (first == null) {
                    first = paymentId;
                }
                assertEquals(first, paymentId, "every payment answers with the one charge");
            }
            assertEquals(1, provider.chargesMade(orderId));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void declinedCardLeavesTheOrderPendingAndAnotherCardMayPay() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String before = stores.holds(saleId).get(orderId);

        assertProblem(pay(shopper, orderId, DECLINED, "try-1").then(), 402, "payment-declined")
                .body("reason", equalTo("card_declined"));
        assertEquals(before, stores.holds(saleId).get(orderId), "still pending");
        assertEquals(1, stores.outboxEntriesAdded(saleId), "no payment entry");
        assertEquals(0, provider.chargesMade(orderId));
        // The same key replays the decline without asking the provider again; a new key may retry.
        assertProblem(pay(shopper, orderId, APPROVED, "try-1").then(), 402, "payment-declined");
        pay(shopper, orderId, APPROVED, "try-2").then().statusCode(200).body("status", equalTo("PAID"));
        assertEquals(1, provider.chargesMade(orderId));
    }

    @Test
    void transientProviderFailureIsRetriedWithTheSameChargeKey() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        pay(shopper, orderId, TRANSIENT, "t-1").then().statusCode(200).body("status", equalTo("PAID"));
        assertEquals(1, provider.chargesMade(orderId));
    }

    @Test
    void holdPastItsPayByTimeIsRefusedAndNothingChanges() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        // Time travel: the hold's pay-by moment is now in the past (the expiry consumer has not run yet).
        long past = System.currentTimeMillis() - 1000;
        String overdue = shopper.id() + "|1|" + past + "|PENDING";
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).holds(), orderId, overdue);
        String snapshot = stores.snapshot(saleId);

        assertProblem(pay(shopper, orderId, APPROVED, "late").then(), 409, "hold-expired");
        assertEquals(snapshot, stores.snapshot(saleId));
        assertEquals(0, provider.chargesMade(orderId), "never charged");

        stores.redis().hash(String.class).hset(new SaleKeys(saleId).holds(), orderId, shopper.id() + "|1|" + past + "|EXPIRED");
        assertProblem(pay(shopper, orderId, APPROVED, "later").then(), 409, "hold-expired");
    }

    @Test
    void someoneElsesOrderIsNotFoundAndBadInputIsRefused() {
        long saleId = sales.live(10, 2);
        TestUser owner = users.shopper();
        TestUser other = users.shopper();
        String orderId = buy(owner, saleId, 1);
        String snapshot = stores.snapshot(saleId);

        assertProblem(pay(other, orderId, APPROVED, "steal").then(), 404, "not-found");
        assertProblem(pay(owner, UUID.randomUUID().toString(), APPROVED, "k").then(), 404, "not-found");
        assertProblem(pay(owner, "0190a6a0-0000-7000-8000-000000000000", APPROVED, "k").then(), 404, "not-found");
        assertProblem(pay(owner, orderId, APPROVED, null).then(), 400, "invalid-request");
        assertProblem(pay(owner, orderId, "4242424242424241", "k").then(), 400, "invalid-request");
        assertProblem(pay(owner, orderId, "42424242", "k").then(), 400, "invalid-request");
        assertProblem(given().header("Authorization", owner.bearer()).header("Idempotency-Key", "k")
                .contentType(ContentType.JSON).body("{\"cardNumber\":4242424242424242}")
                .post("/api/orders/" + orderId + "/pay").then(), 400, "invalid-request");
        assertProblem(given().contentType(ContentType.JSON).header("Idempotency-Key", "k")
                .body(Map.of("cardNumber", APPROVED)).post("/api/orders/" + orderId + "/pay").then(), 401, "not-authenticated");
        assertEquals(snapshot, stores.snapshot(saleId));
        assertEquals(0, provider.chargesMade(orderId));
    }

    @Test
    void holdOfACancelledSaleIsRefusedAndNothingIsChargedOrWritten() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        given().header("Authorization", users.admin().bearer()).post("/api/admin/sales/" + saleId + "/cancel")
                .then().statusCode(200);
        String snapshot = stores.snapshot(saleId);
        Map<String, Long> tables = stores.tableCounts();

        assertProblem(pay(shopper, orderId, APPROVED, "after-cancel").then(), 410, "sale-closed")
                .body("detail", org.hamcrest.Matchers.containsString("cancelled"));
        assertEquals(snapshot, stores.snapshot(saleId), "nothing written in Redis");
        assertEquals(tables, stores.tableCounts(), "nothing written in MySQL");
        assertEquals(0, provider.chargesMade(orderId), "never charged");
    }

    @Test
    void saleCancelledInMySqlRefusesPaymentEvenBeforeRedisHeardOfIt() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        // The order row as the worker writes it, and a cancel whose Redis half has not landed (yet).
        stores.execute("""
                INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at)
                VALUES (?, ?, ?, 1, 1999, 1999, 'EUR', 'PENDING', UTC_TIMESTAMP(3) + INTERVAL 5 MINUTE, UTC_TIMESTAMP(3))""",
                orderId, saleId, shopper.id());
        stores.execute("UPDATE sales SET cancelled = TRUE WHERE id = ?", saleId);
        String snapshot = stores.snapshot(saleId);

        assertProblem(pay(shopper, orderId, APPROVED, "db-cancel").then(), 410, "sale-closed");
        assertEquals(snapshot, stores.snapshot(saleId));
        assertEquals(0, provider.chargesMade(orderId));
    }

    @Test
    void testProviderTakesCardNumbersNotStripePaymentMethods() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        assertProblem(given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "pm")
                .contentType(ContentType.JSON).body(Map.of("paymentMethod", "pm_card_visa"))
                .post("/api/orders/" + orderId + "/pay").then(), 400, "invalid-request")
                .body("detail", org.hamcrest.Matchers.containsString("cardNumber"));
        assertProblem(given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "none")
                .contentType(ContentType.JSON).body("{}")
                .post("/api/orders/" + orderId + "/pay").then(), 400, "invalid-request");
        assertEquals(0, provider.chargesMade(orderId));
    }

    private static String buy(TestUser shopper, long saleId, int quantity) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body("{\"quantity\":" + quantity + "}").post("/api/sales/" + saleId + "/purchase")
                .then().statusCode(202).extract().path("orderId");
    }

    static Response pay(TestUser shopper, String orderId, String card, String key) {
        var request = given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body(Map.of("cardNumber", card));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/orders/" + orderId + "/pay");
    }
}
