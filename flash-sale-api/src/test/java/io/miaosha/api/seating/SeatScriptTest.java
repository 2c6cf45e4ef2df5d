package io.miaosha.api.seating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.purchase.PurchaseScript.Result;
import io.miaosha.common.purchase.PurchaseScript.SeatChoice;
import io.miaosha.common.sale.ArmSaleScript;
import io.miaosha.common.sale.ArmSeatsScript;
import io.miaosha.common.sale.PayScript;
import io.miaosha.common.sale.ReleaseHoldScript;
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
 * purchase.lua's seat mode and the seat side of pay.lua and release_hold.lua, on a sale that exists
 * only in Redis: two areas, Stalls (2 rows of 5, positions 0-9, 50.00) and Circle (1 row of 4,
 * positions 10-13, 30.00), at most 4 seats per shopper. Every branch, and that a refusal changes no key.
 */
@QuarkusTest
@TestProfile(SeatScriptTest.RelayOff.class)
class SeatScriptTest {

    /** A running relay would move the outbox entries these tests look at to the broker while they look. */
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
    private static final int LIMIT = 4;
    private static final int SEATS = 14;

    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    Stores stores;

    private long saleId;
    private SaleKeys keys;
    private PurchaseScript script;

    @BeforeEach
    void freshSale() {
        saleId = 7_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
        keys = new SaleKeys(saleId);
        script = new PurchaseScript(reactiveRedis);
        stores.keys(saleId).forEach(key -> stores.redis().key().del(key));
    }

    private void arm(boolean seated, boolean queued) {
        if (seated) {
            new ArmSeatsScript(reactiveRedis).run(saleId, new ArmSeatsScript.Layout("0".repeat(SEATS), List.of(10, 14),
                    List.of(5000L, 3000L), Map.of(1, List.of(0, 5), 2, List.of(10)))).await().atMost(Duration.ofSeconds(5));
        }
        new ArmSaleScript(reactiveRedis).run(saleId, new ArmSaleScript.Terms(OPENS, CLOSES, false, LIMIT, HOLD_MS, 3000, "EUR",
                SEATS, SEATS, queued, 10, 600_000, false)).await().atMost(Duration.ofSeconds(5));
    }

    private Result pick(long user, String key, List<Integer> positions) {
        return run(user, positions.size(), key, new SeatChoice.Exactly(positions), "seats=" + positions);
    }

    private Result best(long user, String key, int area, int count) {
        return run(user, count, key, new SeatChoice.BestInArea(area), "best=" + area + ":" + count);
    }

    private Result run(long user, int quantity, String key, SeatChoice choice, String fingerprint) {
        return script.run(new PurchaseScript.Request(saleId, user, quantity, OrderIds.next(), DURING, key, fingerprint, 3600,
                null, choice)).await().atMost(Duration.ofSeconds(5));
    }

    private String states() {
        return stores.redis().value(String.class).get(keys.seats());
    }

    private List<StreamMessage<String, String, String>> changes() {
        return stores.redis().stream(String.class).xrange(keys.seatChanges(), io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
    }

    @Test
    void pickHoldsExactlyTheSeatsWithTheirPricesAndWritesOneOutboxEntryAndOneChange() {
        arm(true, false);

        Result result = pick(42, null, List.of(3, 11));

        Result.SeatsHeld held = assertInstanceOf(Result.SeatsHeld.class, result);
        assertEquals(List.of(3, 11), held.positions());
        assertEquals(5000 + 3000, held.amountMinor());
        assertEquals(DURING + HOLD_MS, held.payByMs());
        assertEquals(12, held.seatsLeft());
        assertEquals("00010000000100", states());
        assertEquals("12", stores.redis().value(String.class).get(keys.stock()));
        assertEquals(Map.of("42", "2"), stores.userUnits(saleId));
        assertEquals("42|2|" + held.payByMs() + "|PENDING", stores.holds(saleId).get(held.orderId()));
        assertEquals("8000|3,11", stores.redis().hash(String.class).hget(keys.holdSeats(), held.orderId()));
        var outbox = stores.redis().stream(String.class).xrange(keys.outbox(), io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
        assertEquals(1, outbox.size());
        assertEquals("3,11", outbox.getFirst().payload().get("seats"));
        assertEquals("8000", outbox.getFirst().payload().get("amount"));
        assertEquals("4000", outbox.getFirst().payload().get("price"));
        assertEquals(1, changes().size());
        assertEquals(Map.of("state", "1", "seats", "3,11"), changes().getFirst().payload());
    }

    @Test
    void pickThatLosesTheRaceForOneSeatNamesItAndChangesNothing() {
        arm(true, false);
        pick(42, null, List.of(1, 2));
        String before = stores.snapshot(saleId);

        Result result = pick(43, null, List.of(2, 3, 4));

        assertEquals(List.of(2), assertInstanceOf(Result.SeatsTaken.class, result).positions());
        assertEquals(before, stores.snapshot(saleId));
        assertEquals(1, changes().size());
    }

    @Test
    void pickAboveTheSeatLimitIsRefusedAndChangesNothing() {
        arm(true, false);
        pick(42, null, List.of(0, 1, 2));
        String before = stores.snapshot(saleId);

        Result result = pick(42, null, List.of(3, 4));

        Result.LimitReached limit = assertInstanceOf(Result.LimitReached.class, result);
        assertEquals(3, limit.unitsHeld());
        assertEquals(LIMIT, limit.limit());
        assertEquals(before, stores.snapshot(saleId));
    }

    @Test
    void repeatedKeyReplaysTheFirstPickAndAnotherBodyUnderItIsRefused() {
        arm(true, false);
        Result.SeatsHeld first = assertInstanceOf(Result.SeatsHeld.class, pick(42, "k1", List.of(5, 6)));
        String after = stores.snapshot(saleId);

        Result.SeatsReplayed replay = assertInstanceOf(Result.SeatsReplayed.class, pick(42, "k1", List.of(5, 6)));
        Result other = pick(42, "k1", List.of(7));

        assertEquals(first.orderId(), replay.orderId());
        assertEquals(List.of(5, 6), replay.positions());
        assertEquals(10000, replay.amountMinor());
        assertInstanceOf(Result.KeyReused.class, other);
        assertEquals(after, stores.snapshot(saleId));
    }

    @Test
    void bestAvailableTakesAdjacentSeatsInTheFrontmostRowThatHasThem() {
        arm(true, false);
        pick(42, null, List.of(1));

        Result.SeatsHeld stalls = assertInstanceOf(Result.SeatsHeld.class, best(43, null, 1, 4));
        Result.SeatsHeld circle = assertInstanceOf(Result.SeatsHeld.class, best(44, null, 2, 3));

        assertEquals(List.of(5, 6, 7, 8), stalls.positions(), "row 1 has no 4 together (0 | 2 3 4)");
        assertEquals(20000, stalls.amountMinor());
        assertEquals(List.of(10, 11, 12), circle.positions());
        assertEquals(9000, circle.amountMinor());
        assertEquals("01000111101110", states());
    }

    @Test
    void bestAvailableWithoutAdjacentSeatsTakesTheFirstFreeOnesOfTheArea() {
        arm(true, false);
        pick(42, null, List.of(11));

        Result.SeatsHeld held = assertInstanceOf(Result.SeatsHeld.class, best(43, null, 2, 3));

        assertEquals(List.of(10, 12, 13), held.positions());
    }

    @Test
    void bestAvailableForMoreThanTheAreaHasFreeIsRefusedWithTheFreeCount() {
        arm(true, false);
        pick(42, null, List.of(10, 11));
        String before = stores.snapshot(saleId);

        Result result = best(43, null, 2, 3);

        assertEquals(2, assertInstanceOf(Result.NotEnoughSeats.class, result).free());
        assertEquals(before, stores.snapshot(saleId));
    }

    @Test
    void unitPurchaseInASeatedSaleAndSeatPickInAUnitSaleAreRefused() {
        arm(true, false);
        String seated = stores.snapshot(saleId);
        Result units = script.run(new PurchaseScript.Request(saleId, 42, 1, OrderIds.next(), DURING, null, "", 3600, null))
                .await().atMost(Duration.ofSeconds(5));
        assertInstanceOf(Result.SeatedSale.class, units);
        assertEquals(seated, stores.snapshot(saleId));

        stores.keys(saleId).forEach(key -> stores.redis().key().del(key));
        arm(false, false);
        String unitSale = stores.snapshot(saleId);
        assertInstanceOf(Result.NotSeated.class, pick(42, null, List.of(1)));
        assertEquals(unitSale, stores.snapshot(saleId));
    }

    @Test
    void queuedSeatedSaleWantsAnAdmissionLikeAUnitPurchase() {
        arm(true, true);
        String before = stores.snapshot(saleId);

        assertInstanceOf(Result.AdmissionRequired.class, pick(42, null, List.of(1)));
        assertEquals(before, stores.snapshot(saleId));
    }

    @Test
    void lastSeatsGoneAnswersSoldOut() {
        arm(true, false);
        pick(1, null, List.of(0, 1, 2, 3));
        pick(2, null, List.of(4, 5, 6, 7));
        pick(3, null, List.of(8, 9, 10, 11));
        pick(4, null, List.of(12, 13));

        assertInstanceOf(Result.SoldOut.class, pick(5, null, List.of(1)));
        assertEquals("11111111111111", states());
    }

    @Test
    void expiryReturnsExactlyTheHoldsSeatsOnceAndAPaidHoldsSeatsStaySold() {
        arm(true, false);
        Result.SeatsHeld expiring = assertInstanceOf(Result.SeatsHeld.class, pick(42, null, List.of(2, 3)));
        Result.SeatsHeld paid = assertInstanceOf(Result.SeatsHeld.class, pick(43, null, List.of(4, 10)));
        PayScript pay = new PayScript(reactiveRedis);
        ReleaseHoldScript release = new ReleaseHoldScript(reactiveRedis);

        assertInstanceOf(PayScript.Result.Paid.class,
                pay.run(saleId, paid.orderId(), 43, "pay-1", DURING + 1000).await().atMost(Duration.ofSeconds(5)));
        assertEquals("00112000002000", states());
        var released = release.run(saleId, expiring.orderId(), expiring.payByMs()).await().atMost(Duration.ofSeconds(5));
        assertInstanceOf(ReleaseHoldScript.Result.Released.class, released);
        assertEquals("00002000002000", states());
        assertEquals("12", stores.redis().value(String.class).get(keys.stock()));
        String afterRelease = stores.snapshot(saleId);

        assertInstanceOf(ReleaseHoldScript.Result.AlreadyExpired.class,
                release.run(saleId, expiring.orderId(), expiring.payByMs() + 1).await().atMost(Duration.ofSeconds(5)));
        assertInstanceOf(ReleaseHoldScript.Result.Paid.class,
                release.run(saleId, paid.orderId(), paid.payByMs()).await().atMost(Duration.ofSeconds(5)));
        assertEquals(afterRelease, stores.snapshot(saleId));
        assertEquals(List.of(Map.of("state", "1", "seats", "2,3"), Map.of("state", "1", "seats", "4,10"),
                        Map.of("state", "2", "seats", "4,10"), Map.of("state", "0", "seats", "2,3")),
                changes().stream().map(StreamMessage::payload).toList());
        // The released seats can be picked again.
        assertInstanceOf(Result.SeatsHeld.class, pick(44, null, List.of(2, 3)));
    }

    @Test
    void armingSeatsTwiceKeepsTheirStates() {
        arm(true, false);
        pick(42, null, List.of(0));

        boolean again = new ArmSeatsScript(reactiveRedis).run(saleId, new ArmSeatsScript.Layout("0".repeat(SEATS), List.of(10, 14),
                List.of(5000L, 3000L), Map.of(1, List.of(0, 5), 2, List.of(10)))).await().atMost(Duration.ofSeconds(5));

        assertTrue(!again);
        assertEquals("10000000000000", states());
    }
}
