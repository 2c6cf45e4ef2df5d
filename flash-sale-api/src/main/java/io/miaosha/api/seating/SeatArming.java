package io.miaosha.api.seating;

import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.sale.ArmSeatsScript;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a seated sale's seat map into Redis before the sale's meta is armed (arm_seats.lua, once).
 * The states come from MySQL: a seat of an order pending payment is held, of a paid order sold, so a
 * sale armed again after Redis lost it never shows a seat MySQL already counts as free while it
 * recovers; and those orders' seats go back into {@link SaleKeys#holdSeats()}. This is only the map
 * shown while recovering: restore_sale.lua makes the seat states and hold-seats again from the orders
 * it rebuilds the holds from (read once the pipeline has drained, with the orders adopted late). No pick
 * can run in between: the meta does not exist yet, then it is recovering.
 */
@ApplicationScoped
public class SeatArming {

    private final SaleSeatings seatings;
    private final ArmSeatsScript script;
    private final ReactiveRedisDataSource redis;
    private final Pool writer;

    public SeatArming(SaleSeatings seatings, ReactiveRedisDataSource redis, Pool writer) {
        this.seatings = seatings;
        this.script = new ArmSeatsScript(redis);
        this.redis = redis;
        this.writer = writer;
    }

    private record Committed(String states, Map<String, String> holdSeats) {
    }

    /** Nothing for a sale of units; for a seated sale, true when its seats were loaded now. */
    public Uni<Boolean> load(long saleId) {
        return seatings.of(saleId).chain(seating -> seating.isEmpty() ? Uni.createFrom().item(false)
                : committed(seating.get()).chain(committed -> script.run(saleId, seating.get().redisLayout(committed.states()))
                        .call(loaded -> loaded && !committed.holdSeats().isEmpty()
                                ? redis.hash(String.class).hset(new SaleKeys(saleId).holdSeats(), committed.holdSeats())
                                : Uni.createFrom().voidItem())));
    }

    private Uni<Committed> committed(SaleSeating seating) {
        return writer.preparedQuery("""
                        SELECT os.position, o.status, o.id, o.total_minor FROM order_seats os JOIN orders o ON o.id = os.order_id
                        WHERE os.sale_id = ? AND o.status IN (?, ?) ORDER BY o.id, os.position""")
                .execute(Tuple.of(seating.saleId(), OrderStatus.PENDING_PAYMENT.name(), OrderStatus.PAID.name()))
                .map(rows -> {
                    char[] states = new char[seating.seatCount()];
                    Arrays.fill(states, '0');
                    Map<String, String> holdSeats = new LinkedHashMap<>();
                    for (Row row : rows) {
                        int position = row.getInteger(0);
                        states[position] = OrderStatus.PAID.name().equals(row.getString(1)) ? '2' : '1';
                        holdSeats.merge(row.getString(2), row.getLong(3) + "|" + position, (list, one) -> list + one.substring(one.indexOf('|')).replace('|', ','));
                    }
                    return new Committed(new String(states), holdSeats);
                });
    }
}
