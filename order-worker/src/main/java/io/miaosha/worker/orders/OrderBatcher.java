package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderPlaced;
import io.quarkus.logging.Log;
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
 */
@ApplicationScoped
public class OrderBatcher {

    private final OrderBatchWriter writer;
    private final OrderWriterConfig config;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("order-batch-linger").daemon().factory());
    private List<Pending> pending = new ArrayList<>();

    private record Pending(OrderPlaced order, Message<?> message) {
    }

    public OrderBatcher(OrderBatchWriter writer, OrderWriterConfig config) {
        this.writer = writer;
        this.config = config;
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
        List<OrderPlaced> orders = batch.stream().map(Pending::order).toList();
        writer.write(orders)
                .onFailure().retry().withBackOff(Duration.ofMillis(50), Duration.ofSeconds(2)).atMost(config.attempts())
                .subscribe().with(
                        ok -> batch.forEach(p -> p.message().ack()),
                        failure -> {
                            Log.errorf(failure, "could not persist %d orders; parking them", batch.size());
                            batch.forEach(p -> p.message().nack(failure));
                        });
    }
}
