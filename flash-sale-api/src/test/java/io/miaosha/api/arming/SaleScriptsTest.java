package io.miaosha.api.arming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.api.testing.Stores;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.redis.LuaScript;
import io.miaosha.common.sale.AdjustStockScript;
import io.miaosha.common.sale.ArmSaleScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** arm_sale.lua and adjust_stock.lua on their own, on sales that exist only in Redis. */
@QuarkusTest
class SaleScriptsTest {

    private static final LuaScript ARM = LuaScript.fromClasspath("arm_sale.lua");
    private static final LuaScript ADJUST = LuaScript.fromClasspath("adjust_stock.lua");
    private static final long OPENS = 1_900_000_000_000L;
    private static final long CLOSES = OPENS + 3_600_000;

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
    void firstArmLoadsTermsStockAndTheRelayGroup() {
        assertEquals(1, arm("scheduled", 2, 10, 10).toInteger());

        var meta = stores.meta(saleId);
        assertEquals(Long.toString(OPENS), meta.get("opens_at"));
        assertEquals(Long.toString(CLOSES), meta.get("closes_at"));
        assertEquals("scheduled", meta.get("state"));
        assertEquals("2", meta.get("per_user_limit"));
        assertEquals("10", meta.get("total"));
        assertEquals(10, stores.stock(saleId));
        assertEquals(0, stores.outboxPending(saleId), "the relay's consumer group exists");
    }

    @Test
    void armingWithUnitsAlreadyCommittedLoadsOnlyWhatIsLeft() {
        arm("scheduled", 2, 10, 7);

        assertEquals(7, stores.stock(saleId));
        assertEquals("10", stores.meta(saleId).get("total"));
    }

    @Test
    void secondArmRefreshesTermsButNeverResetsStock() {
        arm("scheduled", 2, 10, 10);
        buy(2);
        assertEquals(8, stores.stock(saleId));

        assertEquals(0, arm("cancelled", 3, 50, 50).toInteger());

        assertEquals(8, stores.stock(saleId), "a second arm must not hand out units again");
        assertEquals("10", stores.meta(saleId).get("total"));
        assertEquals("cancelled", stores.meta(saleId).get("state"));
        assertEquals("3", stores.meta(saleId).get("per_user_limit"));
    }

    @Test
    void adjustingStockOfAnUnarmedSaleAnswersNotArmedAndCreatesNothing() {
        Response answer = adjust(5);

        assertEquals(-1, answer.get(0).toInteger());
        assertTrue(stores.keys(saleId).isEmpty());
    }

    @Test
    void raisingStockAddsUnitsAndKeepsWhatIsSold() {
        arm("scheduled", 2, 10, 10);
        buy(2);

        Response answer = adjust(15);

        assertEquals(1, answer.get(0).toInteger());
        assertEquals(13, answer.get(1).toLong());
        assertEquals(13, stores.stock(saleId));
        assertEquals("15", stores.meta(saleId).get("total"));
    }

    @Test
    void cuttingStockDownToWhatIsCommittedLeavesNoneToSell() {
        arm("scheduled", 2, 10, 10);
        buy(2);

        Response answer = adjust(2);

        assertEquals(1, answer.get(0).toInteger());
        assertEquals(0, stores.stock(saleId));
    }

    @Test
    void cuttingStockBelowWhatIsCommittedIsRefusedAndChangesNothing() {
        arm("scheduled", 2, 10, 10);
        buy(2);
        String before = stores.snapshot(saleId);

        Response answer = adjust(1);

        assertEquals(-2, answer.get(0).toInteger());
        assertEquals(2, answer.get(1).toLong(), "units committed");
        assertEquals(before, stores.snapshot(saleId));
    }

    private void buy(int quantity) {
        PurchaseScript.Result result = new PurchaseScript(reactiveRedis).run(new PurchaseScript.Request(saleId, 7, quantity,
                OrderIds.next(), OPENS + 1, null, null, 86_400, null)).await().atMost(Duration.ofSeconds(5));
        assertInstanceOf(PurchaseScript.Result.Accepted.class, result);
    }

    @Test
    void armingWithTermsOlderThanTheArmedOnesChangesNothing() {
        assertEquals(1, armVersioned("scheduled", 2, 2_000).toInteger());
        // The auto-armer read the row before the admin's change (version 2,000) and arms after it.
        assertEquals(3, armVersioned("cancelled", 5, 1_000).toInteger(), "stale terms are refused");
        assertEquals("scheduled", stores.meta(saleId).get("state"));
        assertEquals("2", stores.meta(saleId).get("per_user_limit"));
        assertEquals("2000", stores.meta(saleId).get("terms_version"));

        assertEquals(0, armVersioned("scheduled", 2, 2_000).toInteger(), "the same version refreshes");
        assertEquals(0, armVersioned("cancelled", 3, 3_000).toInteger(), "a newer version refreshes");
        assertEquals("cancelled", stores.meta(saleId).get("state"));
        assertEquals("3000", stores.meta(saleId).get("terms_version"));
        assertEquals(0, arm("scheduled", 4, 10, 10).toInteger(), "an unversioned arming is not refused");
        assertEquals("3000", stores.meta(saleId).get("terms_version"), "and keeps the version");
    }

    private Response armVersioned(String state, int limit, long version) {
        return ARM.call(reactiveRedis, ArmSaleScript.keys(saleId), List.of(Long.toString(OPENS), Long.toString(CLOSES), state,
                Integer.toString(limit), "300000", "1999", "EUR", "10", "10", "0", "1", "600000", "0", "0", "",
                Long.toString(version)))
                .await().atMost(Duration.ofSeconds(5));
    }

    private Response arm(String state, int limit, int total, int left) {
        return ARM.call(reactiveRedis, ArmSaleScript.keys(saleId), List.of(Long.toString(OPENS), Long.toString(CLOSES), state,
                Integer.toString(limit), "300000", "1999", "EUR", Integer.toString(total), Integer.toString(left)))
                .await().atMost(Duration.ofSeconds(5));
    }

    private Response adjust(int total) {
        return ADJUST.call(reactiveRedis, AdjustStockScript.keys(saleId), List.of(Integer.toString(total)))
                .await().atMost(Duration.ofSeconds(5));
    }
}
