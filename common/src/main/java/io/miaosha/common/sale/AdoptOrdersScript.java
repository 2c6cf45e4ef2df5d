package io.miaosha.common.sale;

import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** adopt_orders.lua: gives persisted orders that have no hold (lost with Redis) one; see the script's header. */
public final class AdoptOrdersScript {

    private static final LuaScript SCRIPT = LuaScript.fromClasspath("adopt_orders.lua");

    /** Holds added now, orders noted for a recovery still under way, and units adopted beyond the stock. */
    public record Result(long adopted, long late, long oversoldUnits) {
    }

    private final ReactiveRedisDataSource redis;

    public AdoptOrdersScript(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    /** {@code orders} all belong to {@code saleId}. */
    public Uni<Result> run(long saleId, long idempotencyTtlSeconds, List<OrderPlaced> orders) {
        SaleKeys sale = new SaleKeys(saleId);
        List<String> keys = new ArrayList<>(RestoreSaleScript.keys(saleId));
        List<String> args = new ArrayList<>(3 + orders.size() * 9);
        args.add(Long.toString(System.currentTimeMillis()));
        args.add(Long.toString(idempotencyTtlSeconds));
        args.add(Integer.toString(SaleKeys.SEAT_CHANGES_KEPT));
        for (OrderPlaced order : orders) {
            keys.add(RestoreSaleScript.idempotencyRecord(sale, order.userId(), order.idempotencyKey()));
            args.add(order.orderId());
            args.add(Long.toString(order.userId()));
            args.add(Integer.toString(order.quantity()));
            args.add(Long.toString(order.payByMs()));
            args.add(Long.toString(order.createdAtMs()));
            args.add(order.idempotencyKey() == null ? "" : order.idempotencyKey());
            args.add(order.requestFingerprint() == null ? "" : order.requestFingerprint());
            args.add(Long.toString(order.totalMinor()));
            args.add(RestoreSaleScript.seatList(order.seatPositions()));
        }
        return SCRIPT.call(redis, keys, args).map(AdoptOrdersScript::decode);
    }

    private static Result decode(Response response) {
        return new Result(response.get(0).toLong(), response.get(1).toLong(), response.get(2).toLong());
    }
}
