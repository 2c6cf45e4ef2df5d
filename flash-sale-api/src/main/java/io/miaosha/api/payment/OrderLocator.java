package io.miaosha.api.payment;

import io.miaosha.common.outage.Outages;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds the sale an order belongs to, which names the Redis keys of its hold. The order row
 * usually exists by the time a shopper pays; in the milliseconds before the worker wrote it, the
 * holds of the armed sales (a handful at any time) are asked instead.
 *
 * <p>It also reads whether MySQL records the sale as cancelled: an admin cancel writes MySQL first
 * and Redis (the sale's meta state) after it, and a payment is refused as soon as either says so.
 *
 * <p>While MySQL cannot be reached the holds are asked alone: a hold lives in Redis, so it can be
 * paid through a primary's outage instead of expiring under a shopper who keeps being told 503. No
 * cancel can be under way then (it writes MySQL first), and the meta state still tells a finished one.
 */
@ApplicationScoped
public class OrderLocator {

    private final Pool writer;
    private final ReactiveRedisDataSource redis;

    public OrderLocator(Pool writer, ReactiveRedisDataSource redis) {
        this.writer = writer;
        this.redis = redis;
    }

    /** The sale of an order, and whether MySQL says that sale was cancelled. */
    public record OrderSale(long saleId, boolean cancelled) {
    }

    /** The order's sale, or null when no order with this id exists anywhere. */
    public Uni<OrderSale> saleOf(String orderId) {
        return writer.preparedQuery("SELECT o.sale_id, s.cancelled FROM orders o JOIN sales s ON s.id = o.sale_id"
                        + " WHERE o.id = ?")
                .execute(Tuple.of(orderId))
                .chain(rows -> {
                    if (rows.iterator().hasNext()) {
                        Row row = rows.iterator().next();
                        return Uni.createFrom().item(new OrderSale(row.getLong(0), row.getBoolean(1)));
                    }
                    return fromArmedSales(orderId).map(saleId -> saleId == null ? null : new OrderSale(saleId, false));
                })
                .onFailure(Outages::isOutage).recoverWithUni(outage -> fromArmedSales(orderId)
                        .onItem().ifNull().failWith(outage)
                        .map(saleId -> new OrderSale(saleId, false)));
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
