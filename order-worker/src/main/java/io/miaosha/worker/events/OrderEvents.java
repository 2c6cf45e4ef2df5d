package io.miaosha.worker.events;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.order.OrderStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells the other services what changed, over Redis pub/sub: order status changes on
 * {@value OrderUpdate#CHANNEL} (the queue-gateway forwards them to the shopper's socket),
 * returned stock on {@value SaleEvent#CHANNEL} (every API instance forgets its sold-out
 * memory and the waiting room admits again). Notifications, not state: a repeat is harmless.
 */
@ApplicationScoped
public class OrderEvents {

    private final ReactivePubSubCommands<String> pubsub;

    public OrderEvents(ReactiveRedisDataSource redis) {
        this.pubsub = redis.pubsub(String.class);
    }

    public Uni<Void> orderChanged(String orderId, long userId, long saleId, OrderStatus status) {
        return pubsub.publish(OrderUpdate.CHANNEL, new OrderUpdate(orderId, userId, saleId, status).encode());
    }

    public Uni<Void> stockReturned(long saleId) {
        return pubsub.publish(SaleEvent.CHANNEL, new SaleEvent(SaleEvent.Type.STOCK_RETURNED, saleId).encode());
    }
}
