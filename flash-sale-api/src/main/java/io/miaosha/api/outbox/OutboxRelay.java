package io.miaosha.api.outbox;

import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPaid;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.sale.SaleKeys;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.ReactiveStreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Moves accepted orders from each sale's outbox stream to RabbitMQ. An entry is acknowledged (and
 * deleted) in Redis only after the broker confirmed the message (publisher confirms), so a crash
 * anywhere leaves it pending; entries pending longer than {@code claim-after} are claimed by a
 * live relay (XAUTOCLAIM) and published again. The worker dedups by order id, so "again" is safe.
 * With each OrderPlaced goes the order's hold timer (a HoldDue to the delay exchange), so a hold
 * expires only if its order was relayed; with each payment entry goes an OrderPaid.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int PERSISTENT = 2;

    private final ReactiveRedisDataSource redis;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final MutinyEmitter<Object> orders;
    private final MutinyEmitter<HoldDue> holdTimers;
    private final HoldTimerQueues holdTimerQueues;
    private final RelayConfig config;
    private final String consumer = "relay-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long lastClaimNanos = System.nanoTime();

    public OutboxRelay(ReactiveRedisDataSource redis, @Channel(OrderChannels.ORDERS) MutinyEmitter<Object> orders,
            @Channel(OrderChannels.HOLD_TIMERS) MutinyEmitter<HoldDue> holdTimers, HoldTimerQueues holdTimerQueues,
            RelayConfig config) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
        this.orders = orders;
        this.holdTimers = holdTimers;
        this.holdTimerQueues = holdTimerQueues;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        if (config.enabled() && running.compareAndSet(false, true)) {
            Log.infof("outbox relay %s started", consumer);
            loop();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running.set(false);
    }

    private void loop() {
        if (!running.get()) {
            return;
        }
        relayRound()
                .onFailure().invoke(e -> Log.warn("outbox relay round failed; retrying", e))
                .onFailure().recoverWithItem(0)
                .chain(moved -> moved > 0 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(config.idlePause()))
                .subscribe().with(ignored -> loop(), failure -> loop());
    }

    /** One pass over every armed sale; answers how many entries were moved. */
    Uni<Integer> relayRound() {
        boolean claim = System.nanoTime() - lastClaimNanos > config.claimAfter().toNanos() / 2;
        if (claim) {
            lastClaimNanos = System.nanoTime();
        }
        return redis.set(String.class).smembers(SaleKeys.ARMED_SALES)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> relaySaleIsolated(new SaleKeys(Long.parseLong(id)), claim))
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }

    /**
     * One sale's trouble must not stall the others: a failure is logged and that sale is tried
     * again next round. A stream whose consumer group is gone (its keys were deleted or Redis lost
     * them while the sale stayed armed) gets the group back, from the stream's start.
     */
    private Uni<Integer> relaySaleIsolated(SaleKeys keys, boolean claimAbandoned) {
        if (!running.get()) {
            return Uni.createFrom().item(0); // shutting down: the clients are closing
        }
        return relaySale(keys, claimAbandoned)
                .onFailure(OutboxRelay::isNoGroup).call(() -> redis.execute("XGROUP", "CREATE", keys.outbox(),
                        SaleKeys.RELAY_GROUP, "0", "MKSTREAM").onFailure().recoverWithNull())
                .onFailure(e -> running.get())
                .invoke(e -> Log.warnf("outbox relay: sale %d skipped this round: %s", keys.saleId(), e.getMessage()))
                .onFailure().recoverWithItem(0);
    }

    private static boolean isNoGroup(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOGROUP");
    }

    private Uni<Integer> relaySale(SaleKeys keys, boolean claimAbandoned) {
        Uni<List<StreamMessage<String, String, String>>> abandoned = claimAbandoned
                ? streams.xautoclaim(keys.outbox(), SaleKeys.RELAY_GROUP, consumer, config.claimAfter(), "0-0", config.batchSize())
                        .map(claimed -> claimed.getMessages())
                        .invoke(claimed -> {
                            if (claimed != null && !claimed.isEmpty()) {
                                Log.infof("relay %s claimed %d outbox entries of sale %d left pending by another relay",
                                        consumer, claimed.size(), keys.saleId());
                            }
                        })
                : Uni.createFrom().item(List.of());
        return abandoned.chain(claimed -> publishAndAck(keys, claimed))
                .chain(reclaimed -> streams.xreadgroup(SaleKeys.RELAY_GROUP, consumer, keys.outbox(), ">",
                                new XReadGroupArgs().count(config.batchSize()))
                        .chain(fresh -> publishAndAck(keys, fresh))
                        .map(moved -> moved + reclaimed));
    }

    private Uni<Integer> publishAndAck(SaleKeys keys, List<StreamMessage<String, String, String>> entries) {
        if (entries == null || entries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> confirms = entries.stream().map(this::publish).toList();
        String[] ids = entries.stream().map(StreamMessage::id).toArray(String[]::new);
        return Uni.join().all(confirms).andFailFast()
                .chain(() -> streams.xack(keys.outbox(), SaleKeys.RELAY_GROUP, ids))
                .chain(() -> streams.xdel(keys.outbox(), ids))
                .replaceWith(entries.size());
    }

    private Uni<Void> publish(StreamMessage<String, String, String> entry) {
        if (OutboxEntries.isPayment(entry.payload())) {
            OrderPaid paid = OutboxEntries.toOrderPaid(entry.payload());
            return orders.sendMessage(Message.of(paid, Metadata.of(
                    metadata(paid.orderId(), OrderChannels.ORDER_PAID_ROUTING_KEY).build())));
        }
        OrderPlaced order = OutboxEntries.toOrderPlaced(entry.payload());
        long holdMs = Math.max(1, order.payByMs() - order.createdAtMs());
        Uni<Void> placed = orders.sendMessage(Message.of(order, Metadata.of(
                metadata(order.orderId(), OrderChannels.ORDER_PLACED_ROUTING_KEY).build())));
        Uni<Void> timer = holdTimerQueues.ensure(holdMs).chain(() -> holdTimers.sendMessage(Message.of(
                OutboxEntries.toHoldDue(order), Metadata.of(metadata(order.orderId(), Long.toString(holdMs)).build()))));
        return Uni.join().all(placed, timer).andFailFast().replaceWithVoid();
    }

    private static OutgoingRabbitMQMetadata.Builder metadata(String messageId, String routingKey) {
        return OutgoingRabbitMQMetadata.builder()
                .withMessageId(messageId)
                .withRoutingKey(routingKey)
                .withDeliveryMode(PERSISTENT)
                .withContentType("application/json");
    }
}
