package io.miaosha.api.outbox;

import io.miaosha.common.events.OutboxEntries;
import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderBatch;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPaid;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.order.OrderTopology;
import io.miaosha.common.redis.LastingSubscription;
import io.miaosha.common.sale.SaleKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Moves accepted orders from each sale's outbox stream to RabbitMQ. An entry is acknowledged (and
 * deleted) in Redis only after the broker confirmed the message (publisher confirms), so a crash
 * anywhere leaves it pending; entries pending longer than {@code claim-after} are claimed by a
 * live relay (XAUTOCLAIM) and published again. The worker dedups by order id, so "again" is safe.
 * The orders of one read go as a few {@link OrderBatch} messages, each also its orders' hold timer:
 * published once, it is copied (CC) into the hold-timer queue of its hold time, whence it reaches the
 * expiry queue at pay-by, for one publish and one confirm per batch; with each payment entry goes an OrderPaid. An entry that
 * cannot be read is parked ({@link OutboxParking}), never retried forever.
 *
 * <p>The relay reads only outboxes that have something to move: the scripts that append an entry to
 * an empty outbox publish an {@link OutboxWake}, and a sweep every {@code sweep-every} looks at each
 * armed sale's outbox length to catch a lost wake-up or entries another relay left pending. An idle
 * system with a thousand armed sales thus costs a few dozen Redis commands a second, not thousands.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final int PERSISTENT = 2;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final ReactiveRedisDataSource redis;
    private final ReactiveStreamCommands<String, String, String> streams;
    private final MutinyEmitter<Object> orders;
    private final MutinyEmitter<HoldDue> holdTimers;
    private final HoldTimerQueues holdTimerQueues;
    private final OutboxParking parking;
    private final RelayConfig config;
    /** XREADGROUP calls: with wake-ups, they follow the sales that have entries, not the armed ones. */
    private final Counter reads;
    private final String consumer = "relay-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicBoolean running = new AtomicBoolean();
    /** Sales whose outbox got an entry since they were last read (OutboxWake), or still had some. */
    private final Set<Long> awake = ConcurrentHashMap.newKeySet();
    /** Sales whose last try failed, with when to try again (their pending entries announce nothing). */
    private final Map<Long, Long> retryAt = new ConcurrentHashMap<>();
    /** The first sweep at start: entries left by a relay that stopped, or added while none ran. */
    private volatile long nextSweepNanos = System.nanoTime();

    public OutboxRelay(ReactiveRedisDataSource redis, @Channel(OrderChannels.ORDERS) MutinyEmitter<Object> orders,
            @Channel(OrderChannels.HOLD_TIMERS) MutinyEmitter<HoldDue> holdTimers, HoldTimerQueues holdTimerQueues,
            OutboxParking parking, RelayConfig config, MeterRegistry meters) {
        this.redis = redis;
        this.streams = redis.stream(String.class);
        this.orders = orders;
        this.holdTimers = holdTimers;
        this.holdTimerQueues = holdTimerQueues;
        this.parking = parking;
        this.config = config;
        this.reads = meters.counter("miaosha.relay.outbox.reads");
    }

    void start(@Observes StartupEvent startup) {
        if (config.enabled() && running.compareAndSet(false, true)) {
            Log.infof("outbox relay %s started", consumer);
            // Wake-ups missed while the subscription is re-made (a Redis node failed over) are found by the sweep.
            LastingSubscription.follow(redis, OutboxWake.CHANNEL, this::onWake);
            loop();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running.set(false);
    }

    private void onWake(String message) {
        try {
            awake.add(OutboxWake.decode(message).saleId());
        } catch (RuntimeException malformed) {
            Log.warnf("ignoring malformed outbox wake-up '%s'", message);
        }
    }

    private void loop() {
        if (!running.get()) {
            return;
        }
        boolean sweep = System.nanoTime() >= nextSweepNanos;
        Uni<Integer> round = sweep ? sweepRound() : awakeRound();
        round.onFailure().invoke(e -> Log.warn("outbox relay round failed; retrying", e))
                .onFailure().recoverWithItem(0)
                .chain(moved -> moved > 0 || !awake.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().voidItem().onItem().delayIt().by(config.idlePause()))
                .subscribe().with(ignored -> loop(), failure -> loop());
    }

    /**
     * The sales woken since the last round, each read until its outbox has nothing new, and the sales
     * whose last try failed, once their pause is over. A sale leaves the awake set before it is read,
     * so a wake-up that arrives during the read brings it back.
     */
    Uni<Integer> awakeRound() {
        long now = System.nanoTime();
        List<Long> retries = retryAt.entrySet().stream().filter(due -> due.getValue() <= now).map(Map.Entry::getKey).toList();
        retries.forEach(retryAt::remove);
        if (awake.isEmpty() && retries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Long> woken = List.copyOf(awake);
        awake.removeAll(woken);
        Multi<Integer> fresh = Multi.createFrom().iterable(woken)
                .onItem().transformToUniAndConcatenate(id -> relaySaleIsolated(new SaleKeys(id), false)
                        .invoke(moved -> {
                            if (moved > 0) {
                                awake.add(id);
                            }
                        }));
        Multi<Integer> retried = Multi.createFrom().iterable(retries)
                .onItem().transformToUniAndConcatenate(id -> retry(new SaleKeys(id)));
        return Multi.createBy().concatenating().streams(fresh, retried)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    /**
     * A sale whose batch failed (the broker did not confirm, Redis hiccuped) keeps entries pending, so
     * its next purchases publish no wake-up: it is tried again every {@link #RETRY_PAUSE}, claiming
     * what stayed pending past {@code claim-after}, until its outbox is empty.
     */
    private Uni<Integer> retry(SaleKeys keys) {
        return relaySaleIsolated(keys, true).call(moved -> streams.xlen(keys.outbox())
                .onFailure().recoverWithItem(1L)
                .invoke(left -> {
                    if (left > 0) {
                        retryAt.putIfAbsent(keys.saleId(), System.nanoTime() + RETRY_PAUSE.toNanos());
                    }
                }));
    }

    /**
     * Every armed sale, one XLEN each: an outbox with entries (a wake-up was lost, or a relay died with
     * entries pending) is read, with abandoned entries claimed. At 1,000 armed sales and the default
     * period this is about 33 commands a second, whatever the sales do.
     */
    Uni<Integer> sweepRound() {
        nextSweepNanos = System.nanoTime() + config.sweepEvery().toNanos();
        return redis.set(String.class).smembers(SaleKeys.ARMED_SALES)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> {
                    SaleKeys keys = new SaleKeys(Long.parseLong(id));
                    return streams.xlen(keys.outbox())
                            .onFailure().recoverWithItem(0L)
                            .chain(length -> length > 0 ? relaySaleIsolated(keys, true) : Uni.createFrom().item(0));
                })
                .collect().with(Collectors.summingInt(Integer::intValue));
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
                .invoke(e -> {
                    Log.warnf("outbox relay: sale %d skipped this round: %s", keys.saleId(), e.getMessage());
                    retryAt.putIfAbsent(keys.saleId(), System.nanoTime() + RETRY_PAUSE.toNanos());
                })
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
                .invoke(() -> reads.increment())
                .chain(reclaimed -> streams.xreadgroup(SaleKeys.RELAY_GROUP, consumer, keys.outbox(), ">",
                                new XReadGroupArgs().count(config.batchSize()))
                        .chain(fresh -> publishAndAck(keys, fresh))
                        .map(moved -> moved + reclaimed));
    }

    private Uni<Integer> publishAndAck(SaleKeys keys, List<StreamMessage<String, String, String>> entries) {
        if (entries == null || entries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> confirms = publishAll(keys, entries);
        String[] ids = entries.stream().map(StreamMessage::id).toArray(String[]::new);
        return Uni.join().all(confirms).andFailFast()
                .ifNoItem().after(config.confirmTimeout()).failWith(() -> new IllegalStateException(
                        "the broker did not confirm all " + confirms.size() + " messages of " + ids.length
                                + " outbox entries within " + config.confirmTimeout().toSeconds()
                                + " s; they stay pending, to be published again"))
                .chain(() -> streams.xack(keys.outbox(), SaleKeys.RELAY_GROUP, ids))
                .chain(() -> streams.xdel(keys.outbox(), ids))
                .replaceWith(entries.size());
    }

    /**
     * A payment is one message; orders go in batches ({@link OrderBatch}) of one hold time and at most
     * {@code orders-per-message}, each batch its orders' hold timer too. An entry that cannot become a
     * message (a missing field, a negative user id) is parked with the reason and then acknowledged with the
     * rest: retrying it would fail forever and hold back the good entries of its read. A broker that does not
     * confirm still fails the whole read, to be tried again.
     */
    private List<Uni<Void>> publishAll(SaleKeys keys, List<StreamMessage<String, String, String>> entries) {
        List<Uni<Void>> confirms = new ArrayList<>();
        Map<Long, List<OrderPlaced>> byHoldTime = new LinkedHashMap<>();
        for (StreamMessage<String, String, String> entry : entries) {
            try {
                if (OutboxEntries.isPayment(entry.payload())) {
                    confirms.add(publish(OutboxEntries.toOrderPaid(entry.payload())));
                } else {
                    OrderPlaced order = OutboxEntries.toOrderPlaced(entry.payload());
                    byHoldTime.computeIfAbsent(Math.max(1, order.payByMs() - order.createdAtMs()), ms -> new ArrayList<>())
                            .add(order);
                }
            } catch (RuntimeException unreadable) {
                String reason = unreadable instanceof IllegalArgumentException
                        ? unreadable.getMessage() : unreadable.getClass().getSimpleName() + ": " + unreadable.getMessage();
                confirms.add(parking.park(keys, entry, reason).call(() -> releaseLater(entry)));
            }
        }
        int most = config.ordersPerMessage();
        byHoldTime.forEach((holdMs, placed) -> {
            for (int from = 0; from < placed.size(); from += most) {
                confirms.add(publish(new OrderBatch(placed.subList(from, Math.min(placed.size(), from + most))), holdMs));
            }
        });
        return confirms;
    }

    /**
     * The parked order's units are held in Redis; its hold timer still goes out when the fields it needs
     * are readable, so those units return to stock at its pay-by time like any unpaid hold's.
     */
    private Uni<Void> releaseLater(StreamMessage<String, String, String> entry) {
        if (OutboxEntries.isPayment(entry.payload())) {
            return Uni.createFrom().voidItem();
        }
        HoldDue due;
        long holdMs;
        try {
            due = OutboxEntries.toHoldDue(entry.payload());
            holdMs = OutboxEntries.holdMs(entry.payload());
        } catch (RuntimeException unreadable) {
            Log.warnf("outbox entry %s: no hold timer either (%s); its units stay held until an admin releases them",
                    entry.id(), unreadable.getMessage());
            return Uni.createFrom().voidItem();
        }
        return holdTimerQueues.ensure(holdMs).chain(() -> holdTimers.sendMessage(Message.of(due,
                Metadata.of(metadata(due.orderId(), Long.toString(holdMs)).build()))));
    }

    private Uni<Void> publish(OrderPaid paid) {
        return orders.sendMessage(Message.of(paid, Metadata.of(
                metadata(paid.orderId(), OrderChannels.ORDER_PAID_ROUTING_KEY).build())));
    }

    private Uni<Void> publish(OrderBatch batch, long holdMs) {
        // The expiry consumer reads each HoldDue's fields (order id, sale id, pay-by) from the batch's orders.
        return holdTimerQueues.ensure(holdMs).chain(() -> orders.sendMessage(Message.of(batch, Metadata.of(
                metadata(batch.messageId(), OrderChannels.ORDER_PLACED_ROUTING_KEY)
                        .withHeader("CC", List.of(OrderTopology.holdTimerRoutingKey(holdMs))).build()))));
    }

    private static OutgoingRabbitMQMetadata.Builder metadata(String messageId, String routingKey) {
        return OutgoingRabbitMQMetadata.builder()
                .withMessageId(messageId)
                .withRoutingKey(routingKey)
                .withDeliveryMode(PERSISTENT)
                .withContentType("application/json");
    }
}
