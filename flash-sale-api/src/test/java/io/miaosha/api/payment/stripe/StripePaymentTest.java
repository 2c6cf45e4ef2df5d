package io.miaosha.api.payment.stripe;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.payment.PaymentProvider;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Stripe adapter end to end: the API (provider stripe) against {@link StripeStub}, which serves
 * Stripe's documented request and response shapes; Redis and MySQL are the real servers.
 */
@QuarkusTest
@TestProfile(StripeProfile.class)
class StripePaymentTest {

    static final String PAYMENT_INTENTS = "/v1/payment_intents";
    static final String REFUNDS = "/v1/refunds";

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    StripeStub stripe;

    @BeforeEach
    void freshStripeAccount() {
        stripe = StripeProfile.stub();
        stripe.reset();
    }

    @Test
    void payingCreatesAndConfirmsOnePaymentIntentKeyedByTheOrderAndTheAttempt() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 2);

        String paymentId = pay(shopper, orderId, "pm_card_visa", "attempt-1").then().statusCode(200)
                .body("status", equalTo("PAID")).body("amountMinor", equalTo(2 * 1999)).body("currency", equalTo("EUR"))
                .extract().path("paymentId");

        List<StripeStub.Recorded> calls = stripe.requests(PAYMENT_INTENTS);
        assertEquals(1, calls.size());
        StripeStub.Recorded call = calls.get(0);
        assertEquals(expectedKey(orderId, "attempt-1"), call.idempotencyKey());
        assertTrue(call.idempotencyKey().contains(orderId), "the key names the order");
        assertEquals("Bearer " + StripeProfile.API_KEY, call.headers().get("authorization"));
        assertEquals("3998", call.params().get("amount"));
        assertEquals("eur", call.params().get("currency"));
        assertEquals("true", call.params().get("confirm"));
        assertEquals("pm_card_visa", call.params().get("payment_method"));
        assertEquals("true", call.params().get("error_on_requires_action"));
        assertEquals(orderId, call.params().get("metadata[order_id]"));
        assertEquals(List.of(paymentId), stripe.succeededPaymentIntents(), "the receipt names the PaymentIntent");
        assertTrue(stores.holds(saleId).get(orderId).endsWith("|PAID|" + paymentId));

        // The same attempt again, and another attempt: the order is paid, Stripe is not asked again.
        pay(shopper, orderId, "pm_card_visa", "attempt-1").then().statusCode(200).body("paymentId", equalTo(paymentId));
        pay(shopper, orderId, "pm_card_mastercard", "attempt-2").then().statusCode(200).body("paymentId", equalTo(paymentId));
        assertEquals(1, stripe.requests(PAYMENT_INTENTS).size());
    }

    @Test
    void declinedCardDoesNotLockTheOrderAndItsAttemptReplaysTheDecline() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String pending = stores.holds(saleId).get(orderId);

        assertProblem(pay(shopper, orderId, "pm_card_chargeDeclinedInsufficientFunds", "try-1").then(), 402,
                "payment-declined").body("reason", equalTo("insufficient_funds"));
        assertEquals(pending, stores.holds(saleId).get(orderId), "still pending");
        assertEquals(1, stores.outboxEntriesAdded(saleId), "no payment entry");
        // The same attempt is answered from the recorded decline; Stripe is not asked again.
        assertProblem(pay(shopper, orderId, "pm_card_visa", "try-1").then(), 402, "payment-declined");
        assertEquals(1, stripe.requests(PAYMENT_INTENTS).size());

        // A new attempt is a new Stripe idempotency key, so Stripe's saved decline does not answer it.
        String paymentId = pay(shopper, orderId, "pm_card_visa", "try-2").then().statusCode(200)
                .extract().path("paymentId");
        List<StripeStub.Recorded> calls = stripe.requests(PAYMENT_INTENTS);
        assertEquals(2, calls.size());
        assertEquals(expectedKey(orderId, "try-1"), calls.get(0).idempotencyKey());
        assertEquals(expectedKey(orderId, "try-2"), calls.get(1).idempotencyKey());
        assertFalse(calls.get(1).replayed(), "executed, not a replay of the decline");
        assertEquals(List.of(paymentId), stripe.succeededPaymentIntents());
    }

    @Test
    void genericDeclineIsReportedWithStripesDeclineCode() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        assertProblem(pay(shopper, orderId, "pm_card_chargeDeclined", "d-1").then(), 402, "payment-declined")
                .body("reason", equalTo("generic_decline"));
    }

    @Test
    void lostResponseIsRetriedWithTheSameKeyAndChargesOnce() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        stripe.loseResponses(1, 1500);

        String paymentId = pay(shopper, orderId, "pm_card_visa", "flaky").then().statusCode(200)
                .body("status", equalTo("PAID")).extract().path("paymentId");

        List<StripeStub.Recorded> calls = stripe.requests(PAYMENT_INTENTS);
        assertEquals(2, calls.size(), "the charge and one retry");
        assertEquals(calls.get(0).idempotencyKey(), calls.get(1).idempotencyKey());
        assertTrue(calls.get(1).replayed(), "Stripe answered the retry from the first execution");
        assertEquals(1, stripe.paymentIntentsCreated(), "charged once");
        assertEquals(List.of(paymentId), stripe.succeededPaymentIntents());
        assertTrue(stores.holds(saleId).get(orderId).endsWith("|PAID|" + paymentId));
    }

    @Test
    void outageIsRetriedWithTheSameKeyThenAnswersPaymentUnavailableAndTheOrderStaysPayable() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String pending = stores.holds(saleId).get(orderId);
        String snapshot = stores.snapshot(saleId);

        stripe.outage(3);
        assertProblem(pay(shopper, orderId, "pm_card_visa", "storm").then(), 503, "payment-unavailable");
        assertEquals(3, stripe.requests(PAYMENT_INTENTS).size(), "miaosha.payment.attempts, each with the same key");
        assertEquals(1, stripe.requests(PAYMENT_INTENTS).stream().map(StripeStub.Recorded::idempotencyKey).distinct().count());
        assertEquals(0, stripe.paymentIntentsCreated());
        assertEquals(pending, stores.holds(saleId).get(orderId));
        assertEquals(snapshot, stores.snapshot(saleId), "nothing written, the in-flight marker is gone");

        // Retrying the same attempt once Stripe recovers from a shorter blip succeeds on the third try.
        stripe.outage(2);
        pay(shopper, orderId, "pm_card_visa", "storm").then().statusCode(200).body("status", equalTo("PAID"));
        assertEquals(6, stripe.requests(PAYMENT_INTENTS).size());
        assertEquals(1, stripe.paymentIntentsCreated());
    }

    @Test
    void unknownPaymentMethodIsDeclinedAndNothingIsCharged() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        assertProblem(pay(shopper, orderId, "pm_doesNotExist", "x").then(), 402, "payment-declined")
                .body("reason", equalTo("payment_method_invalid"));
        assertEquals(0, stripe.paymentIntentsCreated());
    }

    @Test
    void cardNumbersAreRefusedWhenStripeIsTheProvider() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String snapshot = stores.snapshot(saleId);

        assertProblem(given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "card")
                .contentType(ContentType.JSON).body(Map.of("cardNumber", "4242424242424242"))
                .post("/api/orders/" + orderId + "/pay").then(), 400, "invalid-request")
                .body("detail", org.hamcrest.Matchers.containsString("paymentMethod"));
        assertProblem(given().header("Authorization", shopper.bearer()).header("Idempotency-Key", "both")
                .contentType(ContentType.JSON).body(Map.of("cardNumber", "4242424242424242", "paymentMethod", "pm_card_visa"))
                .post("/api/orders/" + orderId + "/pay").then(), 400, "invalid-request");
        assertProblem(pay(shopper, orderId, "card_visa", "malformed").then(), 400, "invalid-request");
        assertEquals(snapshot, stores.snapshot(saleId));
        assertTrue(stripe.requests().isEmpty(), "Stripe never saw a card number");
    }

    @Test
    void chargeThatLostTheRaceWithHoldExpiryIsRefundedOnce() throws Exception {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String hold = stores.holds(saleId).get(orderId);
        stripe.pauseCharges();

        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(
                () -> pay(shopper, orderId, "pm_card_visa", "slow"));
        stripe.awaitPausedCharge();
        // The expiry consumer releases the hold while Stripe is still confirming (release_hold.lua's write).
        String expired = hold.replace("|PENDING", "|EXPIRED");
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).holds(), orderId, expired);
        stripe.release();

        assertProblem(answer.get(15, TimeUnit.SECONDS).then(), 409, "hold-expired");
        assertEquals(expired, stores.holds(saleId).get(orderId), "the hold stays expired, never paid");
        assertEquals(1, stores.outboxEntriesAdded(saleId), "no payment entry");
        List<String> charged = stripe.succeededPaymentIntents();
        assertEquals(1, charged.size());
        List<StripeStub.Recorded> refunds = stripe.requests(REFUNDS);
        assertEquals(1, refunds.size());
        assertEquals(charged.get(0), refunds.get(0).params().get("payment_intent"));
        assertEquals("miaosha-refund:" + charged.get(0), refunds.get(0).idempotencyKey());
        assertEquals(200, refunds.get(0).status());
    }

    @Test
    void chargeThatLostTheRaceWithASaleCancelIsRefunded() throws Exception {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        TestUser admin = users.admin();
        String orderId = buy(shopper, saleId, 1);
        String hold = stores.holds(saleId).get(orderId);
        stripe.pauseCharges();

        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(
                () -> pay(shopper, orderId, "pm_card_visa", "during-cancel"));
        stripe.awaitPausedCharge();
        given().header("Authorization", admin.bearer()).post("/api/admin/sales/" + saleId + "/cancel")
                .then().statusCode(200);
        stripe.release();

        assertProblem(answer.get(15, TimeUnit.SECONDS).then(), 410, "sale-closed")
                .body("detail", org.hamcrest.Matchers.containsString("refunded"));
        assertEquals(hold, stores.holds(saleId).get(orderId), "the hold was not marked paid");
        assertEquals(1, stores.outboxEntriesAdded(saleId), "no payment entry");
        List<StripeStub.Recorded> refunds = stripe.requests(REFUNDS);
        assertEquals(1, refunds.size());
        assertEquals(stripe.succeededPaymentIntents(), List.of(refunds.get(0).params().get("payment_intent")));
    }

    @Test
    void cardThatNeedsAuthenticationIsDeclinedWithStripesErrorCode() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        assertProblem(pay(shopper, orderId, "pm_card_authenticationRequired", "3ds").then(), 402, "payment-declined")
                .body("reason", equalTo("authentication_required"));
        assertEquals("true", stripe.requests(PAYMENT_INTENTS).get(0).params().get("error_on_requires_action"));
    }

    @Test
    void refusedApiKeyIsPaymentUnavailableAtOnceWithoutRetries() {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String pending = stores.holds(saleId).get(orderId);
        stripe.rollApiKey();

        assertProblem(pay(shopper, orderId, "pm_card_visa", "old-key").then(), 503, "payment-unavailable");
        assertEquals(1, stripe.requests(PAYMENT_INTENTS).size(), "a wrong key stays wrong: no retry");
        assertEquals(401, stripe.requests(PAYMENT_INTENTS).get(0).status());
        assertEquals(pending, stores.holds(saleId).get(orderId));
    }

    @Test
    void secondAttemptWhileAChargeIsInFlightAnswersPaymentInProgressAndChargesNothingMore() throws Exception {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        stripe.pauseCharges();

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(
                () -> pay(shopper, orderId, "pm_card_visa", "tab-1"));
        stripe.awaitPausedCharge();
        // Another tab, another key, while Stripe is still confirming the first: it waits (in-flight-wait, 0.5 s here).
        assertProblem(pay(shopper, orderId, "pm_card_mastercard", "tab-2").then(), 409, "payment-in-progress");
        stripe.release();

        String paymentId = first.get(15, TimeUnit.SECONDS).then().statusCode(200).extract().path("paymentId");
        assertEquals(1, stripe.requests(PAYMENT_INTENTS).stream().filter(r -> !r.replayed()).count(),
                "the second attempt never reached Stripe");
        assertEquals(List.of(paymentId), stripe.succeededPaymentIntents());
        // Once the first is done, the second tab's retry answers with its outcome.
        pay(shopper, orderId, "pm_card_mastercard", "tab-2").then().statusCode(200).body("paymentId", equalTo(paymentId));
    }

    @Test
    void refundThatFailsOnceIsRetriedWithItsKeyAndRefundsOnce() throws Exception {
        long saleId = sales.live(10, 2);
        TestUser shopper = users.shopper();
        String orderId = buy(shopper, saleId, 1);
        String hold = stores.holds(saleId).get(orderId);
        stripe.pauseCharges();

        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(
                () -> pay(shopper, orderId, "pm_card_visa", "late-refund"));
        stripe.awaitPausedCharge();
        stores.redis().hash(String.class).hset(new SaleKeys(saleId).holds(), orderId, hold.replace("|PENDING", "|EXPIRED"));
        stripe.outage(1);
        stripe.release();

        assertProblem(answer.get(15, TimeUnit.SECONDS).then(), 409, "hold-expired");
        List<StripeStub.Recorded> refunds = stripe.requests(REFUNDS);
        assertEquals(2, refunds.size(), "the refund and its retry");
        assertEquals(503, refunds.get(0).status());
        assertEquals(refunds.get(0).idempotencyKey(), refunds.get(1).idempotencyKey());
        assertEquals(1, stripe.refundsCreated());
    }

    private static String expectedKey(String orderId, String attempt) {
        return new PaymentProvider.ChargeRequest(orderId, attempt, 0, "EUR", "pm").chargeKey();
    }

    private static String buy(TestUser shopper, long saleId, int quantity) {
        return given().header("Authorization", shopper.bearer()).contentType(ContentType.JSON)
                .body("{\"quantity\":" + quantity + "}").post("/api/sales/" + saleId + "/purchase")
                .then().statusCode(202).extract().path("orderId");
    }

    private static Response pay(TestUser shopper, String orderId, String paymentMethod, String key) {
        return given().header("Authorization", shopper.bearer()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Map.of("paymentMethod", paymentMethod))
                .post("/api/orders/" + orderId + "/pay");
    }
}
