package io.miaosha.gateway.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.order.OrderUpdate;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.SaleEvent;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Tells this instance's sockets what happened anywhere: admissions and ended windows (published by
 * queue_admit.lua), order changes (purchase.lua on the queue channel; payment and hold expiry as
 * {@link OrderUpdate} JSON on {@link SaleKeys#ORDER_EVENTS_CHANNEL}), and sale state changes
 * (sold out, stock back, terms changed), which trigger an immediate re-read of the sale's state.
 */
@ApplicationScoped
public class QueueEvents {

    private final ReactiveRedisDataSource redis;
    private final Rooms rooms;
    private final WaitingRoom waitingRoom;
    private final PositionPusher pusher;
    private final QueueScripts scripts;
    private final ObjectMapper json;

    public QueueEvents(ReactiveRedisDataSource redis, Rooms rooms, WaitingRoom waitingRoom, PositionPusher pusher,
            QueueScripts scripts, ObjectMapper json) {
        this.scripts = scripts;
        this.json = json;
        this.redis = redis;
        this.rooms = rooms;
        this.waitingRoom = waitingRoom;
        this.pusher = pusher;
    }

    void listen(@Observes StartupEvent startup) {
        redis.pubsub(String.class).subscribe(QueueKeys.QUEUE_EVENTS_CHANNEL)
                .subscribe().with(this::onQueueEvent, failure -> Log.warn("queue events subscription failed", failure));
        redis.pubsub(String.class).subscribe(SaleKeys.SALE_EVENTS_CHANNEL)
                .subscribe().with(this::onSaleEvent, failure -> Log.warn("sale events subscription failed", failure));
        redis.pubsub(String.class).subscribe(SaleKeys.ORDER_EVENTS_CHANNEL)
                .subscribe().with(this::onOrderEvent, failure -> Log.warn("order events subscription failed", failure));
    }

    void onQueueEvent(String message) {
        try {
            String[] parts = message.split("\\|");
            Room room = rooms.find(Long.parseLong(parts[1]));
            if (room == null) {
                return;
            }
            switch (parts[0]) {
                case "A" -> {
                    long windowEnd = Long.parseLong(parts[2]);
                    for (String user : parts[3].split(",")) {
                        long userId = Long.parseLong(user);
                        boolean[] here = {false};
                        room.forUser(userId, shopper -> {
                            here[0] = true;
                            shopper.inside = true;
                            shopper.send(waitingRoom.admitted(room.saleId, userId, windowEnd));
                        });
                        if (here[0]) {
                            // The shopper is here: hold the slot for the whole window (queue_admit.lua).
                            scripts.ack(room.saleId, userId).subscribe().with(ok -> { },
                                    failure -> Log.warnf("acknowledging an admission to sale %d failed: %s",
                                            room.saleId, failure.getMessage()));
                        }
                    }
                }
                case "X" -> {
                    for (String user : parts[2].split(",")) {
                        room.forUser(Long.parseLong(user), shopper -> {
                            if (shopper.inside) {
                                shopper.inside = false;
                                shopper.finish(new Messages.Closed("window_expired"));
                            }
                        });
                    }
                }
                case "O" -> room.forUser(Long.parseLong(parts[2]),
                        shopper -> shopper.send(new Messages.Order(parts[3], parts[4])));
                default -> Log.debugf("ignoring queue event %s", parts[0]);
            }
        } catch (RuntimeException e) {
            Log.warnf("ignoring malformed queue event '%s'", message);
        }
    }

    void onOrderEvent(String message) {
        try {
            OrderUpdate update = json.readValue(message, OrderUpdate.class);
            Room room = rooms.find(update.saleId());
            if (room != null) {
                room.forUser(update.userId(),
                        shopper -> shopper.send(new Messages.Order(update.orderId(), update.status().name())));
            }
        } catch (Exception e) {
            Log.warnf("ignoring malformed order event '%s'", message);
        }
    }

    private void onSaleEvent(String message) {
        try {
            Room room = rooms.find(SaleEvent.decode(message).saleId());
            if (room != null) {
                pusher.refresh(room);
            }
        } catch (RuntimeException e) {
            Log.warnf("ignoring malformed sale event '%s'", message);
        }
    }
}
