package io.miaosha.worker.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.order.OrderIds;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.worker.expiry.HoldSweeper;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An ended sale leaves Redis only once nothing in it can change: closed for the grace period, every
 * hold paid or released, the outbox drained and every order settled in MySQL. Then no key of it is
 * left but the idempotency answers, which expire by themselves, and it leaves the armed and queued sets.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class EndedSaleRetirementTest {

    private static final long GRACE_MS = Duration.parse("PT15M").toMillis();

    @Inject
    TestData data;
    @Inject
    RedisDataSource redis;
    @Inject
    Pool db;
    @Inject
    HoldSweeper sweeper;
    @Inject
    EndedSaleRetirement retirement;

    @Test
    void endedSaleWithEverythingSettledLeavesRedisAndNothingBeforeThat() {
        long now = System.currentTimeMillis();
        long saleId = armedAndQueuedSale(3);
        SaleKeys keys = new SaleKeys(saleId);
        String paid = data.pendingOrder(saleId, data.user().id(), 1, now + 60_000);
        String unpaid = data.pendingOrder(saleId, data.user().id(), 1, now - 20_000);
        String idempotencyAnswer = keys.idempotency(7, "retry-key");
        redis.value(String.class).set(idempotencyAnswer, paid + "|1|0|fp", new SetArgs().ex(Duration.ofHours(1)));
        redis.hash(String.class).hset(new QueueKeys(saleId).stats(), Map.of("served", "2"));
        redis.sortedSet(String.class).zadd(new QueueKeys(saleId).waiting(), 1.0, "99");
        long after = now + GRACE_MS + 60_000;

        assertStays(saleId, now, "still open");
        close(keys, now - 1_000);
        assertStays(saleId, now, "closed for less than the grace period");
        assertStays(saleId, after, "two holds pending");

        sweeper.sweep(now).await().atMost(Duration.ofSeconds(10));
        payInRedis(keys, paid);
        assertStays(saleId, after, "the paid order is still PENDING_PAYMENT in MySQL");

        db.preparedQuery("UPDATE orders SET status = 'PAID' WHERE id = ?").execute(Tuple.of(paid)).await().indefinitely();
        redis.stream(String.class).xadd(keys.outbox(), Map.of("type", "paid", "orderId", paid));
        assertStays(saleId, after, "an outbox entry not relayed yet");

        redis.key().del(keys.outbox());
        String unwritten = OrderIds.next();
        redis.hash(String.class).hset(keys.holds(), unwritten, "5|1|" + (now - 30_000) + "|EXPIRED");
        assertStays(saleId, after, "an order MySQL does not have yet");
        redis.hash(String.class).hdel(keys.holds(), unwritten);

        assertTrue(retirement.retireEnded(after).await().atMost(Duration.ofSeconds(10)).contains(saleId));

        assertEquals(List.of(idempotencyAnswer), redis.key().keys(keys.tag() + "*"),
                "nothing of the sale is left in Redis but the idempotency answer");
        assertTrue(redis.key().ttl(idempotencyAnswer) > 0, "and that one expires by itself");
        assertFalse(redis.set(String.class).sismember(SaleKeys.ARMED_SALES, Long.toString(saleId)));
        assertFalse(redis.set(String.class).sismember(QueueKeys.QUEUED_SALES, Long.toString(saleId)));
        assertEquals("PAID", data.status(paid));
        assertEquals("EXPIRED", data.status(unpaid));
        assertFalse(retirement.retireEnded(after).await().atMost(Duration.ofSeconds(10)).contains(saleId), "retired once");
    }

    @Test
    void twoWorkersRetiringAtOnceRetireTheSaleOnce() throws Exception {
        long now = System.currentTimeMillis();
        long saleId = armedAndQueuedSale(1);
        close(new SaleKeys(saleId), now - GRACE_MS - 1_000);

        var first = retirement.retireEnded(now).subscribeAsCompletionStage();
        var second = retirement.retireEnded(now).subscribeAsCompletionStage();
        long retired = first.get().stream().filter(id -> id == saleId).count()
                + second.get().stream().filter(id -> id == saleId).count();

        assertTrue(retired >= 1, "the sale was retired");
        assertEquals(List.of(), redis.key().keys(new SaleKeys(saleId).tag() + "*"));
    }

    @Test
    void aQueuedSaleWithoutHotStateStaysQueuedUntilMySqlSaysItClosed() {
        long now = System.currentTimeMillis();
        long saleId = armedAndQueuedSale(2);
        SaleKeys keys = new SaleKeys(saleId);
        redis.key().del(keys.meta(), keys.stock());
        redis.set(String.class).srem(SaleKeys.ARMED_SALES, Long.toString(saleId));

        assertFalse(retirement.retireEnded(now).await().atMost(Duration.ofSeconds(10)).contains(saleId));
        assertTrue(redis.set(String.class).sismember(QueueKeys.QUEUED_SALES, Long.toString(saleId)),
                "open in MySQL: its admission loop keeps ticking it until it is armed again");

        close(keys, now - GRACE_MS - 1_000);
        redis.key().del(keys.meta());
        assertTrue(retirement.retireEnded(now).await().atMost(Duration.ofSeconds(10)).contains(saleId));
        assertFalse(redis.set(String.class).sismember(QueueKeys.QUEUED_SALES, Long.toString(saleId)));
    }

    private long armedAndQueuedSale(int stock) {
        long saleId = data.armedSale(stock, 60_000);
        redis.set(String.class).sadd(SaleKeys.ARMED_SALES, Long.toString(saleId));
        redis.set(String.class).sadd(QueueKeys.QUEUED_SALES, Long.toString(saleId));
        return saleId;
    }

    /** Closes the sale where it is recorded, MySQL, and in its hot state, as the arming would copy it. */
    private void close(SaleKeys keys, long closedAtMs) {
        db.preparedQuery("UPDATE sales SET opens_at = ?, closes_at = ? WHERE id = ?")
                .execute(Tuple.of(TestData.utc(Instant.ofEpochMilli(closedAtMs - 60_000)), TestData.utc(Instant.ofEpochMilli(closedAtMs)),
                        keys.saleId()))
                .await().indefinitely();
        redis.hash(String.class).hset(keys.meta(), "closes_at", Long.toString(closedAtMs));
    }

    private void payInRedis(SaleKeys keys, String orderId) {
        String hold = redis.hash(String.class).hget(keys.holds(), orderId);
        redis.hash(String.class).hset(keys.holds(), orderId, hold.replace("|PENDING", "|PAID|pay_" + orderId));
        redis.sortedSet(String.class).zrem(keys.holdDeadlines(), orderId);
    }

    private void assertStays(long saleId, long nowMs, String why) {
        assertEquals(List.of(), retirement.retireEnded(nowMs).await().atMost(Duration.ofSeconds(10)).stream()
                .filter(id -> id == saleId).toList(), "not retired: " + why);
        assertTrue(redis.key().exists(new SaleKeys(saleId).stock()), "the stock is still there: " + why);
        assertTrue(redis.set(String.class).sismember(SaleKeys.ARMED_SALES, Long.toString(saleId)));
    }
}
