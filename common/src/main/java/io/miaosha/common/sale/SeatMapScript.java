package io.miaosha.common.sale;

import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * seat_map.lua: a seated sale's seat states with the id of the last change they include, so that a
 * reader of {@link SaleKeys#seatChanges()} (a live seat map) continues exactly after the snapshot.
 */
public final class SeatMapScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("seat_map.lua");

    /** One byte per seat position ('0' free, '1' held, '2' sold); empty when the sale has no seat map armed. */
    public record Snapshot(String states, String lastChangeId) {
    }

    private final ReactiveRedisDataSource redis;

    public SeatMapScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static List<String> keys(long saleId) {
        SaleKeys sale = new SaleKeys(saleId);
        return List.of(sale.seats(), sale.seatChanges());
    }

    public Uni<Snapshot> run(long saleId) {
        return SCRIPT.call(redis, keys(saleId), List.of())
                .map(r -> new Snapshot(r.get(0).toString(), r.get(1).toString()));
    }
}
