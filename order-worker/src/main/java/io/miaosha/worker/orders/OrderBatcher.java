package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPlaced;
import io.miaosha.worker.messaging.FailedMessages;
import io.miaosha.common.outage.Outages;
import io.miaosha.worker.messaging.RetryConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Gathers messages into batches (up to max-batch, or whatever arrived within linger) and writes
 * each batch in one transaction. Each message is acknowledged only after its batch committed, so
 * a crash before commit leaves it unacknowledged and the broker delivers it again.
 *
 * <p>While MySQL cannot be reached a batch waits and is tried again, for as long as the outage
 * lasts: its messages stay unacknowledged, so the broker's prefetch stops the flow (back-pressure)
 * and nothing is parked. A batch the database refuses for its content is written order by order,
 * so one bad row is parked alone and the others are written. Before a batch is written, orders whose
 * hold their sale's hot state lost are adopted ({@link OrderAdoption}).
 */
@ApplicationScoped
public class OrderBatcher {

    private final OrderBatchWriter writer;
    private final OrderWriterConfig config;
    private final RetryConfig retry;
    private final FailedMessages failed;
    private final OrderAdoption adoption;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("order-batch-linger").daemon().factory());
    private List<Pending> pending = new ArrayList<>();

    private record Pending(OrderPlaced order, Message<?> message) {
    }

    public OrderBatcher(OrderBatchWriter writer, OrderWriterConfig config, RetryConfig retry, FailedMessages failed,
            OrderAdoption adoption) {
        this.adoption = adoption;
        this.writer = writer;
        this.config = config;
        this.retry = retry;
        this.failed = failed;
    }

    public void add(OrderPlaced order, Message<?> message) {
        List<Pending> full = null;
        synchronized (this) {
            pending.add(new Pending(order, message));
            if (pending.size() == 1) {
                timer.schedule(this::flushLingering, config.linger().toNanos(), TimeUnit.NANOSECONDS);
            }
            if (pending.size() >= config.maxBatch()) {
                full = takePending();
            }
        }
        if (full != null) {
            write(full);
        }
    }

    private void flushLingering() {
        List<Pending> batch;
        synchronized (this) {
            batch = takePending();
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    private List<Pending> takePending() {
        List<Pending> batch = pending;
        pending = new ArrayList<>();
        return batch;
    }

    private void write(List<Pending> batch) {
        // Adopted before the write, as soon as the batch is formed: a sale being rebuilt must learn of
        // these orders within moments of their leaving the queue (see OrderAdoption), not after MySQL.
        adoption.adopt(batch.stream().map(Pending::order).toList()).chain(() -> persist(batch)).subscribe().with(
                ok -> batch.forEach(p -> p.message().ack()),
                refused -> {
                    if (batch.size() == 1) {
                        park(batch.getFirst(), refused);
                    } else {
                        Log.warnf("MySQL refused a batch of %d orders (%s); writing them one by one", batch.size(),
                                refused.getMessage());
                        writeOneByOne(batch);
                    }
                });
    }

    private void writeOneByOne(List<Pending> batch) {
        Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(one -> persist(List.of(one))
                        .invoke(() -> one.message().ack())
                        .onFailure().recoverWithUni(refused -> {
                            park(one, refused);
                            return Uni.createFrom().voidItem();
                        }))
                .collect().last()
                .subscribe().with(done -> { }, failure -> Log.errorf(failure, "writing orders one by one failed"));
    }

    /** Waits out outages without limit; tries a failure of the statement itself a few times. */
    private Uni<Void> persist(List<Pending> batch) {
        List<OrderPlaced> orders = batch.stream().map(Pending::order).toList();
        // Bounded like a consumer's handling (FailedMessages#bounded): a write whose answer never comes
        // (seen once a stopped primary was back) would hold its messages unacknowledged, and the order
        // out of MySQL, for good; timed out, it is an outage and is written again (idempotent by id).
        return failed.bounded(Uni.createFrom().deferred(() -> writer.write(orders)), OrderChannels.ORDERS_QUEUE)
                .onFailure(Outages::isOutage).invoke(outage -> Log.warnf("MySQL unreachable; %d orders wait: %s",
                        orders.size(), outage.getMessage()))
                .onFailure(Outages::isOutage).retry()
                .withBackOff(Duration.ofMillis(50), retry.outageMaxBackOff()).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(2)).atMost(config.attempts());
    }

    private void park(Pending one, Throwable refused) {
        failed.park(one.message(), OrderChannels.ORDERS_QUEUE, "MySQL refused order " + one.order().orderId() + ": "
                        + refused.getMessage())
                .subscribe().with(parked -> { }, failure -> Log.errorf(failure, "could not park order %s",
                        one.order().orderId()));
    }
}
