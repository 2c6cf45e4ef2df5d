package io.miaosha.api.payment;

import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the sale an order belongs to, which names the Redis keys of its hold. The order row
 * usually exists by the time a shopper pays; in the milliseconds before the worker wrote it, the
 * holds of the armed sales (a handful at any time) are asked instead.
 */
@ApplicationScoped
public class OrderLocator {

    private final Pool writer;
    private final ReactiveRedisDataSource redis;

    public OrderLocator(Pool writer, ReactiveRedisDataSource redis) {
        this.writer = writer;
        this.redis = redis;
    }

    /** The sale id, or null when no order with this id exists anywhere. */
    public Uni<Long> saleOf(String orderId) {
        return writer.preparedQuery("SELECT sale_id FROM orders WHERE id = ?").execute(Tuple.of(orderId))
                .chain(rows -> rows.iterator().hasNext()
                        ? Uni.createFrom().item(rows.iterator().next().getLong(0))
                        : fromArmedSales(orderId));
    }

    private Uni<Long> fromArmedSales(String orderId) {
        return redis.set(String.class).smembers(SaleKeys.ARMED_SALES)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .map(Long::parseLong)
                .onItem().transformToUniAndConcatenate(saleId -> redis.hash(String.class)
                        .hexists(new SaleKeys(saleId).holds(), orderId)
                        .map(found -> found ? saleId : 0L))
                .filter(saleId -> saleId > 0)
                .toUni();
    }
}
