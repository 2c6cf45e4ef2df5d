package io.miaosha.api.seating;

import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.sale.ArmSeatsScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * Loads a seated sale's seat map into Redis before the sale's meta is armed (arm_seats.lua, once).
 * The states come from MySQL: a seat of an order pending payment is held, of a paid order sold, so a
 * sale armed again after Redis lost it never offers a seat MySQL already counts.
 */
@ApplicationScoped
public class SeatArming {

    private final SaleSeatings seatings;
    private final ArmSeatsScript script;
    private final Pool writer;

    public SeatArming(SaleSeatings seatings, ReactiveRedisDataSource redis, Pool writer) {
        this.seatings = seatings;
        this.script = new ArmSeatsScript(redis);
        this.writer = writer;
    }

    /** Nothing for a sale of units; for a seated sale, true when its seats were loaded now. */
    public Uni<Boolean> load(long saleId) {
        return seatings.of(saleId).chain(seating -> seating.isEmpty() ? Uni.createFrom().item(false)
                : states(seating.get()).chain(states -> script.run(saleId, seating.get().redisLayout(states))));
    }

    private Uni<String> states(SaleSeating seating) {
        return writer.preparedQuery("""
                        SELECT os.position, o.status FROM order_seats os JOIN orders o ON o.id = os.order_id
                        WHERE os.sale_id = ? AND o.status IN (?, ?)""")
                .execute(Tuple.of(seating.saleId(), OrderStatus.PENDING_PAYMENT.name(), OrderStatus.PAID.name()))
                .map(rows -> {
                    char[] states = new char[seating.seatCount()];
                    Arrays.fill(states, '0');
                    for (Row row : rows) {
                        states[row.getInteger(0)] = OrderStatus.PAID.name().equals(row.getString(1)) ? '2' : '1';
                    }
                    return new String(states);
                });
    }
}
