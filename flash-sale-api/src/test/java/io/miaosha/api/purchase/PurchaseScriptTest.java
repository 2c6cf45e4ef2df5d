package io.miaosha.api.purchase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.purchase.PurchaseScript.Result;
import io.miaosha.common.sale.ArmSaleScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 * above anything MySQL hands out. The relay is off: a purchase publishes an outbox wake-up, and a
 * running relay would move the entries these tests look at to the broker while they look.
 */
@QuarkusTest
@TestProfile(PurchaseScriptTest.RelayOff.class)
class PurchaseScriptTest {

    public static class RelayOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.relay.enabled", "false");
        }
    }

    private static final long OPENS = 1_900_000_000_000L;
    private static final long CLOSES = OPENS + 3_600_000;
    private static final long DURING = OPENS + 60_000;
    private static final long HOLD_MS = 300_000;
    private static final long USER = 42;

    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    PurchaseConfig config;
    @Inject
    Stores stores;

    private long saleId;
    private SaleKeys keys;
    private PurchaseScript script;

    @BeforeEach
    void freshSaleId() {
        saleId = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        keys = new SaleKeys(saleId);
        script = new PurchaseScript(reactiveRedis);
        stores.keys(saleId).forEach(key -> stores.redis().key().del(key));
    }

    @Test
    void unarmedSaleAnswersNotArmedAndCreatesNoKey() {
        PurchaseScript.Result result = run(USER, 1, "k1", DURING);

        assertInstanceOf(Result.NotArmed.class, result);
        assertTrue(stores.keys(saleId).isEmpty());
    }

    @Test
    void saleNotOpenYetAnswersNotOpenWithItsOpeningTime() {
        arm("scheduled", 2, 10);

        PurchaseScript.Result result = run(USER, 1, "k1", OPENS - 1);

        assertEquals(OPENS, assertInstanceOf(Result.NotOpen.class, result).opensAtMs());
    }

    @Test
    void saleIsOpenFromItsOpeningMillisecondUntilJustBeforeClosing() {
        arm("scheduled", 5, 10);

        assertInstanceOf(Result.Accepted.class, run(USER, 1, null, OPENS));
        assertInstanceOf(Result.Accepted.class, run(USER, 1, null, CLOSES - 1));
        assertInstanceOf(Result.Ended.class, run(USER, 1, null, CLOSES));
    }

    @Test
    void endedSaleAnswersEnded() {
        arm("scheduled", 2, 10);

        assertInstanceOf(Result.Ended.class, run(USER, 1, "k1", CLOSES + 1));
    }

    @Test
    void cancelledSaleAnswersCancelledEvenWhileOpen() {
        arm("cancelled", 2, 10);

        assertInstanceOf(Result.Cancelled.class, run(USER, 1, "k1", DURING));
    }

    @Test
    void saleWithNoUnitsLeftAnswersSoldOut() {
        arm("scheduled", 2, 1);
        assertInstanceOf(Result.Accepted.class, run(USER, 1, null, DURING));

        PurchaseScript.Result result = run(USER + 1, 1, "k1", DURING);

        assertInstanceOf(Result.SoldOut.class, result);
        assertEquals(0, stores.stock(saleId));
    }

    @Test
    void requestAboveUnitsLeftAnswersNotEnoughStockWithUnitsLeft() {
        arm("scheduled", 5, 2);

        PurchaseScript.Result result = run(USER, 3, "k1", DURING);

        assertEquals(2, assertInstanceOf(Result.NotEnoughStock.class, result).unitsLeft());
    }

    @Test
    void requestBeyondTheLimitAnswersLimitReachedWithUnitsHeldAndLimit() {
        arm("scheduled", 2, 10);
        assertInstanceOf(Result.Accepted.class, run(USER, 1, null, DURING));

        PurchaseScript.Result result = run(USER, 2, "k1", DURING);

        Result.LimitReached limit = assertInstanceOf(Result.LimitReached.class, result);
        assertEquals(1, limit.unitsHeld());
        assertEquals(2, limit.limit());
        assertInstanceOf(Result.Accepted.class, run(USER, 1, null, DURING),
                "the limit counts units, so one more unit still fits");
        assertInstanceOf(Result.LimitReached.class, run(USER, 1, null, DURING));
    }

    @Test
    void aKeyReusedWithAnotherQuantityIsRefusedBeforeAnyWrite() {
        arm("scheduled", 2, 10);
        assertInstanceOf(Result.Accepted.class, run(USER, 1, "key-r", DURING));
        String before = stores.snapshot(saleId);

        assertInstanceOf(Result.KeyReused.class, run(USER, 2, "key-r", DURING));
        assertInstanceOf(Result.Replayed.class, run(USER, 1, "key-r", DURING));
        assertEquals(before, stores.snapshot(saleId));
    }

    @Test
    void aRecordWrittenBeforeFingerprintsIsStillReplayed() {
        arm("scheduled", 2, 10);
        String orderId = OrderIds.next();
        stores.redis().value(String.class).set(keys.idempotency(USER, "old-key"), orderId + "|1|" + (DURING + HOLD_MS));

        PurchaseScript.Result result = run(USER, 2, "old-key", DURING);

        assertInstanceOf(Result.Replayed.class, result);
        assertEquals(orderId + "|1|" + (DURING + HOLD_MS), answer(result));
    }

    @Test
    void acceptedPurchaseRecordsStockUnitsHoldDeadlineOutboxEntryAndIdempotencyKey() {
        arm("scheduled", 2, 10);
        String orderId = OrderIds.next();

        PurchaseScript.Result result = run(USER, 2, "key-1", orderId, DURING);

        long payBy = DURING + HOLD_MS;
        String answer = orderId + "|2|" + payBy;
        assertEquals(answer, answer(result));
        assertEquals(8, assertInstanceOf(Result.Accepted.class, result).unitsLeft(), "units left");
        assertEquals(8, stores.stock(saleId));
        assertEquals(Map.of(Long.toString(USER), "2"), stores.userUnits(saleId));
        assertEquals(Map.of(orderId, USER + "|2|" + payBy + "|PENDING"), stores.holds(saleId));
        assertEquals((double) payBy, stores.redis().sortedSet(String.class).zscore(keys.holdDeadlines(), orderId).getAsDouble());
        List<StreamMessage<String, String, String>> outbox = stores.redis().stream(String.class)
                .xrange(keys.outbox(), io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
        assertEquals(1, outbox.size());
        // The key and fingerprint travel with the order to MySQL, where a recovery after a Redis loss finds them.
        assertEquals(Map.of("orderId", orderId, "saleId", Long.toString(saleId), "userId", Long.toString(USER),
                "quantity", "2", "price", "1999", "currency", "EUR", "createdAt", Long.toString(DURING),
                "payBy", Long.toString(payBy), "idemKey", "key-1", "fingerprint", "quantity=2"), outbox.get(0).payload());
        String idempotencyKey = keys.idempotency(USER, "key-1");
        // The record carries the body's fingerprint after the answer, so a reuse with another body is refused.
        assertEquals(answer + "|quantity=2", stores.redis().value(String.class).get(idempotencyKey));
        assertTrue(stores.redis().set(String.class).sismember(keys.idempotencyKeys(), "key-1"));
        long ttl = stores.redis().key().ttl(idempotencyKey);
        assertTrue(ttl > 86_000 && ttl <= 86_400, "idempotency record kept for a day, was " + ttl + "s");
    }

    @Test
    void sameIdempotencyKeyReplaysTheFirstAnswerAndWritesNothingMore() {
        arm("scheduled", 2, 10);
        PurchaseScript.Result first = run(USER, 1, "key-1", DURING);
        String before = stores.snapshot(saleId);

        PurchaseScript.Result again = run(USER, 1, "key-1", DURING + 5);

        assertInstanceOf(Result.Replayed.class, again);
        assertEquals(answer(first), answer(again));
        assertEquals(before, stores.snapshot(saleId));
        assertEquals(1, stores.outboxLength(saleId));
    }

    @Test
    void replayAnswersTheFirstResultEvenAfterTheSaleSoldOutOrEnded() {
        arm("scheduled", 2, 1);
        PurchaseScript.Result first = run(USER, 1, "key-1", DURING);

        assertEquals(answer(first), answer(run(USER, 1, "key-1", DURING)));
        assertEquals(answer(first), answer(run(USER, 1, "key-1", CLOSES + 1)));
    }

    @Test
    void idempotencyKeysBelongToOneUser() {
        arm("scheduled", 2, 10);
        PurchaseScript.Result mine = run(USER, 1, "shared-key", DURING);

        PurchaseScript.Result theirs = run(USER + 1, 1, "shared-key", DURING);

        assertInstanceOf(Result.Accepted.class, theirs);
        assertNotEquals(answer(mine), answer(theirs));
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
        assertRefusedAndUnchanged(state, USER, 1, Result.LimitReached.class, DURING);
        assertRefusedAndUnchanged(state, USER + 1, 2, Result.NotEnoughStock.class, DURING);
        assertRefusedAndUnchanged(state, USER + 1, 1, Result.NotOpen.class, OPENS - 1);
        assertRefusedAndUnchanged(state, USER + 1, 1, Result.Ended.class, CLOSES);
        run(USER + 1, 1, null, DURING);
        state = stores.snapshot(saleId);
        assertRefusedAndUnchanged(state, USER + 2, 1, Result.SoldOut.class, DURING);
        arm("cancelled", 2, 3);
        state = stores.snapshot(saleId);
        assertRefusedAndUnchanged(state, USER + 2, 1, Result.Cancelled.class, DURING);
    }

    private void assertRefusedAndUnchanged(String before, long user, int quantity, Class<? extends Result> expected,
            long now) {
        String key = "refused-" + expected.getSimpleName();
        PurchaseScript.Result result = run(user, quantity, key, now);

        assertInstanceOf(expected, result);
        assertEquals(before, stores.snapshot(saleId), "keys changed by a refusal " + expected.getSimpleName());
        assertNull(stores.redis().value(String.class).get(keys.idempotency(user, key)));
    }

    private PurchaseScript.Result run(long user, int quantity, String idempotencyKey, long now) {
        return run(user, quantity, idempotencyKey, OrderIds.next(), now);
    }

    /** The attempt as PurchaseService hands it to the script, with a chosen clock. */
    private PurchaseScript.Result run(long user, int quantity, String idempotencyKey, String orderId, long now) {
        PurchaseAttempt attempt = new PurchaseAttempt(saleId, user, quantity, idempotencyKey, null);
        return script.run(new PurchaseScript.Request(saleId, user, quantity, orderId, now, idempotencyKey,
                attempt.fingerprint(), config.idempotencyTtl().toSeconds(), null)).await().atMost(Duration.ofSeconds(5));
    }

    /** An accepted or replayed answer as "orderId|quantity|payBy". */
    private static String answer(PurchaseScript.Result result) {
        return switch (result) {
            case Result.Accepted a -> a.orderId() + "|" + a.quantity() + "|" + a.payByMs();
            case Result.Replayed r -> r.orderId() + "|" + r.quantity() + "|" + r.payByMs();
            default -> throw new AssertionError("neither accepted nor replayed: " + result);
        };
    }

    private void arm(String state, int limit, int stock) {
        new ArmSaleScript(reactiveRedis).run(saleId, new ArmSaleScript.Terms(OPENS, CLOSES, state.equals("cancelled"), limit,
                HOLD_MS, 1999, "EUR", stock, stock, false, 1, 600_000, false)).await().atMost(Duration.ofSeconds(5));
    }
}
