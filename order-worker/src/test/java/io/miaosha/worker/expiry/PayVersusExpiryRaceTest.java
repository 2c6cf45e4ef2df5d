package io.miaosha.worker.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.PayScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.ElasticMqResource;
import io.miaosha.worker.testing.TestData;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * 1,000 holds, each paid (pay.lua, as the API does it) and expired (the worker's HoldExpiry) at
 * the same moment, around its pay-by time: every hold ends exactly one way, and the stock adds up.
 */
@QuarkusTest
@QuarkusTestResource(ElasticMqResource.class)
class PayVersusExpiryRaceTest {

    private static final LuaScript PAY = LuaScript.fromClasspath("pay.lua");
    private static final int HOLDS = 1000;
    private static final int STOCK = 1200;

    @Inject
    TestData data;
    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactiveRedis;
    @Inject
    HoldExpiry expiry;

    @Test
    void everyHoldEndsPaidOrExpiredNeverBothAndStockAddsUp() throws Exception {
        long saleId = data.armedSale(STOCK, 1000);
        SaleKeys keys = new SaleKeys(saleId);
        List<TestData.User> users = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            users.add(data.user());
        }
        // Rows first (their pay_by column plays no part), then the holds in a few bulk commands, with
        // pay-by times spread over 400 ms from 1.5 s after that; each race fires within ±20 ms of its deadline.
        List<TestData.Row> rows = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            rows.add(new TestData.Row(OrderIds.next(), users.get(i % users.size()).id(), 1, System.currentTimeMillis()));
        }
        data.insertOrders(saleId, rows);
        long base = System.currentTimeMillis() + 1500;
        Map<String, String> holdValues = new java.util.HashMap<>();
        Map<String, Double> deadlines = new java.util.HashMap<>();
        for (int i = 0; i < HOLDS; i++) {
            TestData.Row row = rows.get(i);
            long payBy = base + ThreadLocalRandom.current().nextLong(400);
            rows.set(i, new TestData.Row(row.orderId(), row.userId(), 1, payBy));
            holdValues.put(row.orderId(), row.userId() + "|1|" + payBy + "|PENDING");
            deadlines.put(row.orderId(), (double) payBy);
        }
        redis.value(String.class).decrby(keys.stock(), HOLDS);
        for (TestData.User user : users) {
            redis.hash(String.class).hincrby(keys.userUnits(), Long.toString(user.id()), HOLDS / users.size());
        }
        redis.hash(String.class).hset(keys.holds(), holdValues);
        redis.sortedSet(String.class).zadd(keys.holdDeadlines(), deadlines);
        Collections.shuffle(rows);
        assertTrue(System.currentTimeMillis() < base - 200, "the setup ended before the first deadline");

        // Scheduled, not sleeping threads: each race starts at its own moment, however many are pending.
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(48);
        List<Future<Integer>> payments = new ArrayList<>();
        List<CompletableFuture<Void>> expiries = new ArrayList<>();
        try {
            for (TestData.Row row : rows) {
                long fireAt = row.payByMs() + ThreadLocalRandom.current().nextLong(-20, 21);
                payments.add(pool.schedule(() -> {
                    return PAY.call(reactiveRedis, PayScript.keys(saleId), List.of(row.orderId(), Long.toString(row.userId()),
                            Long.toString(System.currentTimeMillis()), "pay_" + row.orderId(), Long.toString(saleId), OutboxWake.CHANNEL))
                            .await().atMost(Duration.ofSeconds(10)).get(0).toInteger();
                }, fireAt - System.currentTimeMillis(), TimeUnit.MILLISECONDS));
                CompletableFuture<Void> expired = new CompletableFuture<>();
                expiries.add(expired);
                pool.schedule(expireWhenDue(pool, new HoldDue(row.orderId(), saleId, row.payByMs()), expired),
                        fireAt - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            }
            int paidAnswers = 0;
            for (Future<Integer> payment : payments) {
                int code = payment.get();
                assertTrue(code == 1 || code == -2, "paid or refused as expired: " + code);
                paidAnswers += code == 1 ? 1 : 0;
            }
            for (CompletableFuture<Void> expired : expiries) {
                expired.get();
            }

            Map<String, String> holds = redis.hash(String.class).hgetall(keys.holds());
            long paid = holds.values().stream().filter(h -> h.contains("|PAID|")).count();
            long expired = holds.values().stream().filter(h -> h.endsWith("|EXPIRED")).count();
            assertEquals(HOLDS, paid + expired, "every hold ended exactly one way: " + paid + " paid, " + expired + " expired");
            assertEquals(paidAnswers, paid, "every paid answer is a paid hold");
            assertTrue(paid > 0 && expired > 0, "both outcomes happened (" + paid + "/" + expired + "): the races were real");
            assertEquals(STOCK - paid, Long.parseLong(redis.value(String.class).get(keys.stock())), "stock adds up");
            long unitsHeld = redis.hash(String.class).hgetall(keys.userUnits()).values().stream().mapToLong(Long::parseLong).sum();
            assertEquals(paid, unitsHeld, "each user's count is their paid units");
            assertEquals(0, redis.sortedSet(String.class).zcard(keys.holdDeadlines()));
            assertEquals(expired, data.count("SELECT COUNT(*) FROM orders WHERE sale_id = ? AND status = 'EXPIRED'", saleId));
            assertEquals(paid, data.count("SELECT COUNT(*) FROM orders WHERE sale_id = ? AND status = 'PENDING_PAYMENT'", saleId),
                    "paid ones wait for their OrderPaid; none was expired");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A timer that fires early is retried, as the consumer's retry queue would, by scheduling it again:
     * a thread that slept in a retry loop would starve the payments racing it on a slow machine.
     */
    private Runnable expireWhenDue(ScheduledExecutorService pool, HoldDue due, CompletableFuture<Void> done) {
        return () -> {
            try {
                expiry.expire(due).await().atMost(Duration.ofSeconds(10));
                done.complete(null);
            } catch (IllegalStateException notDue) {
                pool.schedule(expireWhenDue(pool, due, done), 5, TimeUnit.MILLISECONDS);
            } catch (RuntimeException failed) {
                done.completeExceptionally(failed);
            }
        };
    }
}
