package io.miaosha.worker.messaging;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The orders of one batch message as messages of their own, each settled on its own (written, or parked
 * alone with its reason): the batch is acknowledged to the broker once every order is, so a crash before
 * that redelivers the whole batch (the writes are idempotent by order id). An order that could not even be
 * parked (its copy was not confirmed) rejects the batch, which the queue dead-letters to the parking lot.
 */
public final class BatchMembers {

    /** Names a member's own order, for the copy a retry or parking publishes. */
    public record Member(String orderId) {
    }

    private BatchMembers() {
    }

    public static List<Message<?>> of(Message<?> batch, List<Map<String, Object>> orders) {
        AtomicInteger unsettled = new AtomicInteger(orders.size());
        AtomicReference<Throwable> refused = new AtomicReference<>();
        return orders.stream().<Message<?>>map(order -> {
            AtomicBoolean settled = new AtomicBoolean();
            return Message.of(new JsonObject(order), batch.getMetadata().with(new Member(String.valueOf(order.get("orderId")))),
                    () -> settle(batch, settled, unsettled, refused, null),
                    failure -> settle(batch, settled, unsettled, refused, failure));
        }).toList();
    }

    private static CompletionStage<Void> settle(Message<?> batch, AtomicBoolean settled, AtomicInteger unsettled,
            AtomicReference<Throwable> refused, Throwable failure) {
        if (!settled.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        if (failure != null) {
            refused.compareAndSet(null, failure);
        }
        if (unsettled.decrementAndGet() > 0) {
            return CompletableFuture.completedFuture(null);
        }
        return refused.get() == null ? batch.ack() : batch.nack(refused.get());
    }
}
