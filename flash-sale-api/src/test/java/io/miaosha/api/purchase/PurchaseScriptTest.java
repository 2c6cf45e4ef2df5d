package io.miaosha.api.purchase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * purchase.lua on its own, through {@link PurchaseScript} with a chosen clock: every branch, and
 * that a refused attempt changes no key at all. The sales here exist only in Redis, under ids far
 * above anything MySQL hands out, and are never registered for the relay.
 */
@QuarkusTest
class PurchaseScriptTest {

    private static final LuaScript ARM = LuaScript.fromClasspath("arm_sale.lua");
    private static final long OPENS = 1_900_000_000_000L;
    private static final long CLOSES = OPENS + 3_600_000;
    private static final long DURING = OPENS + 60_000;
    private static final long HOLD_MS = 300_000;
    private static final long USER = 42;

    @Inject
    PurchaseScript script;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    Stores stores;

    private long saleId;
    private SaleKeys keys;

    @BeforeEach
    void freshSaleId() {
        saleId = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        keys = new SaleKeys(saleId);
        stores.keys(saleId).forEach(key -> stores.redis().key().del(key));
    }

    @Test
    void unarmedSaleAnswersNotArmedAndCreatesNoKey() {
        PurchaseScript.Result result = run(USER, 1, "k1", DURING);

        assertEquals(PurchaseScript.Result.NOT_ARMED, result.code());
        assertTrue(stores.keys(saleId).isEmpty());
    }

    @Test
    void saleNotOpenYetAnswersNotOpenWithItsOpeningTime() {
        arm("scheduled", 2, 10);

        PurchaseScript.Result result = run(USER, 1, "k1", OPENS - 1);

        assertEquals(PurchaseScript.Result.NOT_OPEN, result.code());
        assertEquals(OPENS, result.first());
    }

    @Test
    void saleIsOpenFromItsOpeningMillisecondUntilJustBeforeClosing() {
        arm("scheduled", 5, 10);

        assertEquals(PurchaseScript.Result.ACCEPTED, run(USER, 1, null, OPENS).code());
        assertEquals(PurchaseScript.Result.ACCEPTED, run(USER, 1, null, CLOSES - 1).code());
        assertEquals(PurchaseScript.Result.ENDED, run(USER, 1, null, CLOSES).code());
    }

    @Test
    void endedSaleAnswersEnded() {
        arm("scheduled", 2, 10);

        assertEquals(PurchaseScript.Result.ENDED, run(USER, 1, "k1", CLOSES + 1).code());
    }

    @Test
    void cancelledSaleAnswersCancelledEvenWhileOpen() {
        arm("cancelled", 2, 10);

        assertEquals(PurchaseScript.Result.CANCELLED, run(USER, 1, "k1", DURING).code());
    }

    @Test
    void saleWithNoUnitsLeftAnswersSoldOut() {
        arm("scheduled", 2, 1);
        assertEquals(PurchaseScript.Result.ACCEPTED, run(USER, 1, null, DURING).code());

        PurchaseScript.Result result = run(USER + 1, 1, "k1", DURING);

        assertEquals(PurchaseScript.Result.SOLD_OUT, result.code());
        assertEquals(0, stores.stock(saleId));
    }

    @Test
    void requestAboveUnitsLeftAnswersNotEnoughStockWithUnitsLeft() {
        arm("scheduled", 5, 2);

        PurchaseScript.Result result = run(USER, 3, "k1", DURING);

        assertEquals(PurchaseScript.Result.NOT_ENOUGH_STOCK, result.code());
        assertEquals(2, result.first());
    }

    @Test
    void requestBeyondTheLimitAnswersLimitReachedWithUnitsHeldAndLimit() {
        arm("scheduled", 2, 10);
        assertEquals(PurchaseScript.Result.ACCEPTED, run(USER, 1, null, DURING).code());

        PurchaseScript.Result result = run(USER, 2, "k1", DURING);

        assertEquals(PurchaseScript.Result.LIMIT_REACHED, result.code());
        assertEquals(1, result.first());
        assertEquals(2, result.second());
        assertEquals(PurchaseScript.Result.ACCEPTED, run(USER, 1, null, DURING).code(),
                "the limit counts units, so one more unit still fits");
        assertEquals(PurchaseScript.Result.LIMIT_REACHED, run(USER, 1, null, DURING).code());
    }

    @Test
    void acceptedPurchaseRecordsStockUnitsHoldDeadlineOutboxEntryAndIdempotencyKey() {
        arm("scheduled", 2, 10);
        String orderId = OrderIds.next();

        PurchaseScript.Result result = script.run(attempt(USER, 2, "key-1"), orderId, DURING)
                .await().atMost(Duration.ofSeconds(5));

        long payBy = DURING + HOLD_MS;
        String answer = orderId + "|2|" + payBy;
        assertEquals(PurchaseScript.Result.ACCEPTED, result.code());
        assertEquals(answer, result.answer());
        assertEquals(8, result.first(), "units left");
        assertEquals(8, stores.stock(saleId));
        assertEquals(Map.of(Long.toString(USER), "2"), stores.userUnits(saleId));
        assertEquals(Map.of(orderId, USER + "|2|" + payBy + "|PENDING"), stores.holds(saleId));
        assertEquals((double) payBy, stores.redis().sortedSet(String.class).zscore(keys.holdDeadlines(), orderId).getAsDouble());
        List<StreamMessage<String, String, String>> outbox = stores.redis().stream(String.class)
                .xrange(keys.outbox(), io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
        assertEquals(1, outbox.size());
        assertEquals(Map.of("orderId", orderId, "saleId", Long.toString(saleId), "userId", Long.toString(USER),
                "quantity", "2", "price", "1999", "currency", "EUR", "createdAt", Long.toString(DURING),
                "payBy", Long.toString(payBy)), outbox.get(0).payload());
        String idempotencyKey = keys.idempotency(USER, "key-1");
        assertEquals(answer, stores.redis().value(String.class).get(idempotencyKey));
        long ttl = stores.redis().key().ttl(idempotencyKey);
        assertTrue(ttl > 86_000 && ttl <= 86_400, "idempotency record kept for a day, was " + ttl + "s");
    }

    @Test
    void sameIdempotencyKeyReplaysTheFirstAnswerAndWritesNothingMore() {
        arm("scheduled", 2, 10);
        PurchaseScript.Result first = run(USER, 1, "key-1", DURING);
        String before = stores.snapshot(saleId);

        PurchaseScript.Result again = run(USER, 1, "key-1", DURING + 5);

        assertEquals(PurchaseScript.Result.REPLAYED, again.code());
        assertEquals(first.answer(), again.answer());
        assertEquals(before, stores.snapshot(saleId));
        assertEquals(1, stores.outboxLength(saleId));
    }

    @Test
    void replayAnswersTheFirstResultEvenAfterTheSaleSoldOutOrEnded() {
        arm("scheduled", 2, 1);
        PurchaseScript.Result first = run(USER, 1, "key-1", DURING);

        assertEquals(first.answer(), run(USER, 1, "key-1", DURING).answer());
        assertEquals(first.answer(), run(USER, 1, "key-1", CLOSES + 1).answer());
    }

    @Test
    void idempotencyKeysBelongToOneUser() {
        arm("scheduled", 2, 10);
        PurchaseScript.Result mine = run(USER, 1, "shared-key", DURING);

        PurchaseScript.Result theirs = run(USER + 1, 1, "shared-key", DURING);

        assertEquals(PurchaseScript.Result.ACCEPTED, theirs.code());
        assertNotEquals(mine.answer(), theirs.answer());
        assertEquals(8, stores.stock(saleId));
    }

    @Test
    void withoutIdempotencyKeyEveryCallIsANewOrderAndNoKeyIsRecorded() {
        arm("scheduled", 5, 10);

        run(USER, 1, null, DURING);
        run(USER, 1, null, DURING);

        assertEquals(2, stores.holds(saleId).size());
        assertFalse(stores.keys(saleId).stream().anyMatch(key -> key.contains(":idem:")));
    }

    @Test
    void refusedAttemptsChangeNoKeyAtAll() {
        // Each refusal is tried against a sale in the state that provokes it; nothing may move.
        arm("scheduled", 2, 3);
        run(USER, 2, null, DURING);
        String state = stores.snapshot(saleId);
        assertRefusedAndUnchanged(state, USER, 1, PurchaseScript.Result.LIMIT_REACHED, DURING);
        assertRefusedAndUnchanged(state, USER + 1, 2, PurchaseScript.Result.NOT_ENOUGH_STOCK, DURING);
        assertRefusedAndUnchanged(state, USER + 1, 1, PurchaseScript.Result.NOT_OPEN, OPENS - 1);
        assertRefusedAndUnchanged(state, USER + 1, 1, PurchaseScript.Result.ENDED, CLOSES);
        run(USER + 1, 1, null, DURING);
        state = stores.snapshot(saleId);
        assertRefusedAndUnchanged(state, USER + 2, 1, PurchaseScript.Result.SOLD_OUT, DURING);
        arm("cancelled", 2, 3);
        state = stores.snapshot(saleId);
        assertRefusedAndUnchanged(state, USER + 2, 1, PurchaseScript.Result.CANCELLED, DURING);
    }

    private void assertRefusedAndUnchanged(String before, long user, int quantity, int expectedCode, long now) {
        PurchaseScript.Result result = run(user, quantity, "refused-" + expectedCode, now);

        assertEquals(expectedCode, result.code());
        assertEquals(before, stores.snapshot(saleId), "keys changed by a refusal with code " + expectedCode);
        assertNull(stores.redis().value(String.class).get(keys.idempotency(user, "refused-" + expectedCode)));
    }

    private PurchaseScript.Result run(long user, int quantity, String idempotencyKey, long now) {
        return script.run(attempt(user, quantity, idempotencyKey), OrderIds.next(), now).await().atMost(Duration.ofSeconds(5));
    }

    private PurchaseAttempt attempt(long user, int quantity, String idempotencyKey) {
        return new PurchaseAttempt(saleId, user, quantity, idempotencyKey, null);
    }

    private void arm(String state, int limit, int stock) {
        ARM.call(reactiveRedis, keys.armKeys(), List.of(Long.toString(OPENS), Long.toString(CLOSES), state,
                Integer.toString(limit), Long.toString(HOLD_MS), "1999", "EUR", Integer.toString(stock),
                Integer.toString(stock))).await().atMost(Duration.ofSeconds(5));
    }
}
