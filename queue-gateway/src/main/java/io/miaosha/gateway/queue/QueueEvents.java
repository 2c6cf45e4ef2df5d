package io.miaosha.gateway.queue;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.events.QueueEvent;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.queue.QueueAckScript;
import io.miaosha.common.redis.LastingSubscription;
import io.miaosha.gateway.admission.AdmissionSigner;
import io.miaosha.gateway.live.LiveFeeds;
import io.miaosha.gateway.orders.OrderWatchers;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Tells this instance's sockets what happened anywhere: admissions and ended windows
 * ({@link QueueEvent}, published by queue_admit.lua), order changes ({@link OrderUpdate}: purchase.lua
 * for a new order, order-worker for payment and hold expiry), and sale state changes ({@link SaleEvent}:
 * sold out, stock back, terms changed), which trigger an immediate re-read of the sale's state.
 * Order changes also reach the shopper's orders sockets ({@link OrderWatchers}, {@code /ws/me/orders}).
 */
@ApplicationScoped
public class QueueEvents {

    private final ReactiveRedisDataSource redis;
    private final Rooms rooms;
    private final AdmissionSigner signer;
    private final PositionPusher pusher;
    private final QueueAckScript ack;
    private final LiveFeeds liveFeeds;
    private final OrderWatchers orderWatchers;

    public QueueEvents(ReactiveRedisDataSource redis, Rooms rooms, AdmissionSigner signer, PositionPusher pusher,
            LiveFeeds liveFeeds, OrderWatchers orderWatchers) {
        this.orderWatchers = orderWatchers;
        this.liveFeeds = liveFeeds;
        this.ack = new QueueAckScript(redis);
        this.redis = redis;
        this.rooms = rooms;
        this.signer = signer;
        this.pusher = pusher;
    }

    void listen(@Observes StartupEvent startup) {
        // Each subscribed again whenever its connection ends: a gateway subscribed through a Redis Cluster
        // master that failed over otherwise never heard of an admission again (its shoppers waited at
        // place 1 while their slots were given away unacknowledged).
        LastingSubscription.follow(redis, QueueEvent.CHANNEL, this::onQueueEvent);
        LastingSubscription.follow(redis, SaleEvent.CHANNEL, this::onSaleEvent);
        LastingSubscription.follow(redis, OrderUpdate.CHANNEL, this::onOrderEvent);
    }

    void onQueueEvent(String message) {
        QueueEvent event;
        try {
            event = QueueEvent.decode(message);
        } catch (RuntimeException e) {
            Log.warnf("ignoring malformed queue event '%s'", message);
            return;
        }
        Room room = rooms.find(event.saleId());
        if (room == null) {
            return;
        }
        switch (event) {
            case QueueEvent.Admitted admitted -> {
                long windowEnd = admitted.windowEndMs();
                for (long userId : admitted.userIds()) {
                    if (room.hasSocket(userId)) {
                        room.admit(userId, Messages.admitted(signer.sign(userId, room.saleId, windowEnd), windowEnd));
                        // The shopper is here: hold the slot for the whole window (queue_admit.lua).
                        ack.run(room.saleId, userId).subscribe().with(ok -> { },
                                failure -> Log.warnf("acknowledging an admission to sale %d failed: %s",
                                        room.saleId, failure.getMessage()));
                    }
                }
            }
            case QueueEvent.WindowsOver over -> over.userIds().forEach(room::windowOver);
            case QueueEvent.LimitReached limit -> limit.userIds().forEach(room::limitReached);
        }
    }

    void onOrderEvent(String message) {
        try {
            OrderUpdate update = OrderUpdate.decode(message);
            // One subscription on this instance for both: the shopper's orders sockets (any tab, any sale) hear it here.
            orderWatchers.tell(update);
            Room room = rooms.find(update.saleId());
            if (room != null) {
                room.tell(update.userId(), new Messages.Order(update.orderId(), update.status().name()));
            }
        } catch (RuntimeException e) {
            Log.warnf("ignoring malformed order event '%s'", message);
        }
    }

    private void onSaleEvent(String message) {
        try {
            long saleId = SaleEvent.decode(message).saleId();
            // One subscription per channel on this instance: the live feed of the sale's viewers hears it here too.
            liveFeeds.saleChanged(saleId);
            Room room = rooms.find(saleId);
            if (room != null) {
                pusher.refresh(room);
            }
        } catch (RuntimeException e) {
            Log.warnf("ignoring malformed sale event '%s'", message);
        }
    }
}
