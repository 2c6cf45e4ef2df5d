package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** tally_holds.lua: a sale's held and sold units and its orders, from three fields; see the script's header. */
public final class TallyHoldsScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("tally_holds.lua");

    /** Units pending payment, units paid for, and orders (every hold, expired ones included). */
    public record Tally(long unitsHeld, long unitsSold, long orders) {
    }

    private final ReactiveRedisDataSource redis;

    public TallyHoldsScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.holds(), sale.tally());
    }

    public Uni<Tally> run(long saleId) {
        return SCRIPT.call(redis, keys(saleId), List.of())
                .map(r -> new Tally(r.get(0).toLong(), r.get(1).toLong(), r.get(2).toLong()));
    }
}
