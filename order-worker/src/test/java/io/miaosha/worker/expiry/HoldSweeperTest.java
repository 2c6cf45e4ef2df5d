package io.miaosha.worker.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.order.OrderIds;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Holds whose timer message never arrived are released by the sweep once they are overdue by the
 * grace period, exactly once, and an order the pipeline has not written yet is settled when it is.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class HoldSweeperTest {

    private static final long GRACE_MS = 10_000;

    @Inject
    TestData data;
    @Inject
    RedisDataSource redis;
    @Inject
    HoldSweeper sweeper;

    @Test
    void overdueHoldWithoutTimerIsReleasedOnceAndOrderExpires() {
        long saleId = armedSale(2);
        SaleKeys keys = new SaleKeys(saleId);
        long now = System.currentTimeMillis();
        String overdue = data.pendingOrder(saleId, data.user().id(), 1, now - GRACE_MS - 1_000);
        String withinGrace = data.pendingOrder(saleId, data.user().id(), 1, now - 1_000);
        assertEquals("0", redis.value(String.class).get(keys.stock()));

        sweep(now);

        assertEquals("EXPIRED", data.status(overdue));
        assertEquals("PENDING_PAYMENT", data.status(withinGrace), "a hold inside the grace period is the timer's");
        assertEquals("1", redis.value(String.class).get(keys.stock()), "the overdue unit is back");
        assertEquals(List.of(withinGrace), redis.sortedSet(String.class).zrange(keys.holdDeadlines(), 0, -1));

        sweep(now);
        assertEquals("1", redis.value(String.class).get(keys.stock()), "a unit returns once");
        assertEquals(1, data.count("SELECT COUNT(*) FROM order_status_history WHERE order_id = ? AND status = 'EXPIRED'", overdue));
    }

    @Test
    void overdueHoldOfAnOrderNotYetWrittenIsSettledOnceTheRowArrives() {
        long saleId = armedSale(1);
        SaleKeys keys = new SaleKeys(saleId);
        long userId = data.user().id();
        long payBy = System.currentTimeMillis() - GRACE_MS - 1_000;
        String orderId = OrderIds.next();
        // The hold as purchase.lua writes it, with no MySQL row yet: the order is still in the pipeline.
        redis.value(String.class).decrby(keys.stock(), 1);
        redis.hash(String.class).hincrby(keys.userUnits(), Long.toString(userId), 1);
        redis.hash(String.class).hset(keys.holds(), orderId, userId + "|1|" + payBy + "|PENDING");
        redis.sortedSet(String.class).zadd(keys.holdDeadlines(), payBy, orderId);

        long now = System.currentTimeMillis();
        sweep(now);
        assertEquals("1", redis.value(String.class).get(keys.stock()), "the units return at once");
        assertTrue(redis.hash(String.class).hget(keys.holds(), orderId).endsWith("|EXPIRED"));
        assertEquals(1, redis.sortedSet(String.class).zcard(keys.holdDeadlines()), "kept until MySQL agrees");

        data.insertOrders(saleId, List.of(new TestData.Row(orderId, userId, 1, payBy)));
        sweep(now);
        assertEquals("EXPIRED", data.status(orderId));
        assertEquals("1", redis.value(String.class).get(keys.stock()), "still returned only once");
        assertEquals(0, redis.sortedSet(String.class).zcard(keys.holdDeadlines()));
    }

    @Test
    void aSaleWithNothingDueIsLookedAtAgainOnlyWhenAHoldCouldBeDue() {
        long saleId = armedSale(1);
        long now = System.currentTimeMillis();
        sweep(now); // nothing due, no hold: a new one could be due in 60 s (the sale's hold time) at the soonest
        // A hold with an early deadline written behind the sweeper's back (as a rebuild after a Redis loss would).
        String early = data.pendingOrder(saleId, data.user().id(), 1, now - GRACE_MS - 1_000);

        sweep(now + 1_000);
        assertEquals("PENDING_PAYMENT", data.status(early), "the sale is not looked at while nothing of it could be due");
        sweep(now + 61_000);
        assertEquals("EXPIRED", data.status(early), "found once the quiet time (at most a minute) is over");
    }

    /** Sweeps every armed sale of the test Redis, other tests' included: assertions look at this test's sale only. */
    private void sweep(long now) {
        sweeper.sweep(now).await().atMost(Duration.ofSeconds(30));
    }

    private long armedSale(int stock) {
        long saleId = data.armedSale(stock, 60_000);
        redis.set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(saleId));
        return saleId;
    }
}
