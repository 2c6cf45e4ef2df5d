package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.common.queue.QueueAdmitScript;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueLeaveScript;
import io.miaosha.common.queue.QueueStatus;
import io.miaosha.common.queue.QueueStatusScript;
import io.miaosha.gateway.testing.QueueSales;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the wait estimate rests on, measured by queue_admit.lua on a simulated clock (the script takes
 * the time as an argument; the sale is not in the queued-sales set, so no admission loop steps it):
 * the opening fill is no departure, occupied time counts from the first slot freed, and both decay
 * with the time constant.
 */
@QuarkusTest
class TurnoverMeasureTest {

    private static final long TAU = 60_000;
    private static final Duration AWAIT = Duration.ofSeconds(5);

    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactive;

    @Test
    void slotsFreedAreCountedAgainstTheSlotTimeOccupiedSinceTheFirstLeft() {
        QueueSales sales = new QueueSales(redis);
        long t0 = System.currentTimeMillis();
        long saleId = sales.arm(t0 - 1000, t0 + 3_600_000, 100, 2, 600_000);
        QueueJoinScript join = new QueueJoinScript(reactive);
        QueueAdmitScript admit = new QueueAdmitScript(reactive);
        long[] users = new long[5];
        for (int i = 0; i < users.length; i++) {
            users[i] = sales.nextUserId();
            join.run(saleId, users[i], t0, "t" + users[i]).await().atMost(AWAIT);
        }

        step(admit, saleId, t0);                 // the fill: two inside, nobody left
        step(admit, saleId, t0 + 1000);
        assertTurnover(saleId, 0, 0);            // a second of two slots, but nobody has left yet

        new QueueLeaveScript(reactive).run(saleId, users[0]).await().atMost(AWAIT);
        step(admit, saleId, t0 + 2000);          // one left (then refilled): two slots a second until this step
        assertTurnover(saleId, 1, 2);

        step(admit, saleId, t0 + 3000);          // a second of two slots, nobody left; the past decays
        double keep = Math.exp(-1000.0 / TAU);
        assertTurnover(saleId, keep, 2 * keep + 2);
    }

    private static void step(QueueAdmitScript admit, long saleId, long nowMs) {
        admit.run(saleId, new QueueAdmitScript.Tick(nowMs, TAU, 1000, 600_000)).await().atMost(AWAIT);
    }

    private void assertTurnover(long saleId, double departures, double slotSeconds) {
        QueueStatus status = new QueueStatusScript(reactive).run(saleId).await().atMost(AWAIT);
        assertEquals(departures, status.recentDepartures(), 1e-9, "slots freed");
        assertEquals(slotSeconds, status.recentSlotSeconds(), 1e-6, "slot-seconds occupied");
        assertEquals(2, status.inside());
    }
}
