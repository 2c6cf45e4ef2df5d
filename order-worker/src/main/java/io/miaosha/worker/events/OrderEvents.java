package io.miaosha.worker.events;

import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.order.OrderUpdate;
import io.miaosha.common.sale.SaleEvent;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the other services what changed, over Redis pub/sub: order status changes on
 * {@value SaleKeys#ORDER_EVENTS_CHANNEL} (the queue-gateway forwards them to the shopper's socket),
 * returned stock on {@value SaleKeys#SALE_EVENTS_CHANNEL} (every API instance forgets its sold-out
 * memory and the waiting room admits again). Notifications, not state: a repeat is harmless.
 */
@ApplicationScoped
public class OrderEvents {

    private final ReactivePubSubCommands<String> pubsub;

    public OrderEvents(ReactiveRedisDataSource redis) {
        this.pubsub = redis.pubsub(String.class);
    }

    public Uni<Void> orderChanged(String orderId, long userId, long saleId, OrderStatus status) {
        return pubsub.publish(SaleKeys.ORDER_EVENTS_CHANNEL, new OrderUpdate(orderId, userId, saleId, status).toJson());
    }

    public Uni<Void> stockReturned(long saleId) {
        return pubsub.publish(SaleKeys.SALE_EVENTS_CHANNEL, new SaleEvent(SaleEvent.Type.STOCK_RETURNED, saleId).encode());
    }
}
