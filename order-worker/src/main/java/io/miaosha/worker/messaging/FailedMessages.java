package io.miaosha.worker.messaging;

import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderTopology;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * What a consumer does with a message it could not handle. A failure that may pass (the database
 * is down, the order row is not written yet) goes to the work queue's retry queue with a per-message
 * TTL that doubles each time; when the TTL runs out the broker dead-letters it back to the work
 * queue. After {@code attempts} tries, or at once for a message that can never succeed (poison), it
 * is parked with the reason in the {@value OrderTopology#PARKED_REASON_HEADER} header, where an admin
 * can read it and replay it. The original is acknowledged only after the copy was confirmed.
 */
@ApplicationScoped
public class FailedMessages {

    private final MutinyEmitter<Object> retries;
    private final MutinyEmitter<Object> parking;
    private final RetryConfig config;

    public FailedMessages(@Channel(OrderChannels.RETRIES) MutinyEmitter<Object> retries,
            @Channel(OrderChannels.PARKING) MutinyEmitter<Object> parking, RetryConfig config) {
        this.retries = retries;
        this.parking = parking;
        this.config = config;
    }

    public Uni<Void> retryOrPark(Message<?> message, String queue, Throwable failure) {
        if (failure instanceof PoisonMessage poison) {
            return park(message, queue, poison.getMessage());
        }
        int retried = retries(message);
        if (retried + 1 >= config.attempts()) {
            return park(message, queue, "gave up after " + (retried + 1) + " attempts: " + describe(failure));
        }
        long delayMs = Math.min(config.maxBackOff().toMillis(), config.firstBackOff().toMillis() << retried);
        Log.infof("retrying a message of %s in %d ms (attempt %d): %s", queue, delayMs, retried + 2, describe(failure));
        Map<String, Object> headers = new HashMap<>(headers(message));
        headers.put(OrderTopology.RETRIES_HEADER, retried + 1);
        return retries.sendMessage(copy(message, queue, headers, Long.toString(delayMs)))
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(broken -> rejectToParking(message, broken));
    }

    public Uni<Void> park(Message<?> message, String queue, String reason) {
        Log.warnf("parking a message of %s: %s", queue, reason);
        Map<String, Object> headers = new HashMap<>(headers(message));
        headers.put(OrderTopology.PARKED_REASON_HEADER, reason);
        return parking.sendMessage(copy(message, queue, headers, null))
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(broken -> rejectToParking(message, broken));
    }

    /**
     * Last resort when even the copy could not be published: reject the original. The work queues
     * dead-letter rejects to the parking lot (without a reason header; the log has it), and the
     * consumer goes on with the next message instead of failing its stream.
     */
    private static Uni<Void> rejectToParking(Message<?> message, Throwable broken) {
        Log.errorf(broken, "could not republish a failed message; rejecting it to the parking lot");
        return Uni.createFrom().completionStage(message.nack(broken));
    }

    private static Message<Object> copy(Message<?> message, String routingKey, Map<String, Object> headers,
            String expirationMs) {
        Object body = MessageBodies.republishable(message.getPayload());
        OutgoingRabbitMQMetadata.Builder metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(routingKey)
                .withHeaders(headers)
                .withDeliveryMode(2)
                .withContentType(body instanceof JsonObject ? "application/json" : "application/octet-stream");
        message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(IncomingRabbitMQMetadata::getMessageId)
                .ifPresent(metadata::withMessageId);
        if (expirationMs != null) {
            metadata.withExpiration(expirationMs);
        }
        return Message.of(body, Metadata.of(metadata.build()));
    }

    private static Map<String, Object> headers(Message<?> message) {
        Map<String, Object> kept = new HashMap<>();
        message.getMetadata(IncomingRabbitMQMetadata.class).ifPresent(incoming -> incoming.getHeaders().forEach((name, value) -> {
            // The broker's own bookkeeping (x-death, x-first-death-*) is not ours to copy.
            if (!name.startsWith("x-death") && !name.startsWith("x-first-death") && !name.startsWith("x-last-death")) {
                kept.put(name, value == null ? null : value.toString());
            }
        }));
        return kept;
    }

    private static int retries(Message<?> message) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(incoming -> incoming.getHeaders().get(OrderTopology.RETRIES_HEADER))
                .map(value -> Integer.parseInt(value.toString()))
                .orElse(0);
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
