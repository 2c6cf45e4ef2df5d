package io.miaosha.worker.messaging;

import io.miaosha.common.outage.Outages;
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
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * What a consumer does with a message it could not handle. A failure that may pass (the database
 * is down, the order row is not written yet) goes to the work queue's retry queue with a per-message
 * TTL that doubles each time; when the TTL runs out the broker dead-letters it back to the work
 * queue. After {@code attempts} tries, or at once for a message that can never succeed (poison), it
 * is parked with the reason in the {@value OrderTopology#PARKED_REASON_HEADER} header, where an admin
 * can read it and replay it. An outage of a store (see {@link Outages}) never counts towards parking:
 * the message goes round the retry queue, its back-off capped, until the store is back. The
 * original is acknowledged only after the copy was confirmed.
 */
@ApplicationScoped
public class FailedMessages {

    /** How often a message was put back because a store was unreachable; it only sets the back-off. */
    static final String OUTAGE_RETRIES_HEADER = "x-outage-retries";
    /** When the message first failed (epoch ms): an event waiting for its order row waits by the clock. */
    static final String FIRST_FAILURE_HEADER = "x-first-failure-ms";

    private final MutinyEmitter<Object> retries;
    private final MutinyEmitter<Object> parking;
    private final RetryConfig config;

    public FailedMessages(@Channel(OrderChannels.RETRIES) MutinyEmitter<Object> retries,
            @Channel(OrderChannels.PARKING) MutinyEmitter<Object> parking, RetryConfig config) {
        this.retries = retries;
        this.parking = parking;
        this.config = config;
    }

    /**
     * One message's handling, bounded by {@code miaosha.retry.handling-timeout}: past it the handling
     * fails with a {@link TimeoutException}, an outage, so {@link #retryOrPark} puts the message back
     * with back-off instead of the consumer waiting for an answer that may never come. Handling is
     * idempotent, so a late answer of the abandoned attempt changes nothing.
     */
    public <T> Uni<T> bounded(Uni<T> handling, String queue) {
        return handling.ifNoItem().after(config.handlingTimeout()).failWith(() -> new TimeoutException(
                "handling a message of " + queue + " took longer than " + config.handlingTimeout().toSeconds() + " s"));
    }

    public Uni<Void> retryOrPark(Message<?> message, String queue, Throwable failure) {
        if (failure instanceof PoisonMessage poison) {
            return park(message, queue, poison.getMessage());
        }
        if (Outages.isOutage(failure)) {
            return retryAfterOutage(message, queue, failure);
        }
        int retried = retries(message);
        long firstFailureMs = retried == 0 ? System.currentTimeMillis() : headerMs(message, FIRST_FAILURE_HEADER);
        if (retried + 1 >= config.attempts() && !stillWaitingForItsRow(failure, firstFailureMs)) {
            return park(message, queue, "gave up after " + (retried + 1) + " attempts: " + describe(failure));
        }
        long delayMs = Math.min(config.maxBackOff().toMillis(), config.firstBackOff().toMillis() << retried);
        Log.infof("retrying a message of %s in %d ms (attempt %d): %s", queue, delayMs, retried + 2, describe(failure));
        Map<String, Object> headers = new HashMap<>(headers(message));
        headers.put(OrderTopology.RETRIES_HEADER, retried + 1);
        headers.put(FIRST_FAILURE_HEADER, Long.toString(firstFailureMs));
        return retries.sendMessage(copy(message, queue, headers, Long.toString(delayMs)))
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(broken -> rejectToParking(message, broken));
    }

    /**
     * A payment or expiry whose order row is not written yet is not broken: its OrderPlaced is on the way
     * (behind a backlog the worker is still writing after an outage). It keeps its back-off and is parked
     * only once it has also waited {@code order-row-wait} since its first failure.
     */
    private boolean stillWaitingForItsRow(Throwable failure, long firstFailureMs) {
        return failure instanceof NotYetPersisted && firstFailureMs > 0
                && System.currentTimeMillis() - firstFailureMs < config.orderRowWait().toMillis();
    }

    private static long headerMs(Message<?> message, String name) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(incoming -> incoming.getHeaders().get(name))
                .map(value -> Long.parseLong(value.toString()))
                .orElse(0L);
    }

    /** An outage is not the message's fault: it is tried again with back-off, for as long as it lasts. */
    private Uni<Void> retryAfterOutage(Message<?> message, String queue, Throwable failure) {
        int waited = header(message, OUTAGE_RETRIES_HEADER);
        long delayMs = Math.min(config.outageMaxBackOff().toMillis(), config.firstBackOff().toMillis() << Math.min(waited, 20));
        Log.warnf("a store is unreachable; a message of %s waits %d ms (outage try %d): %s", queue, delayMs, waited + 1,
                describe(failure));
        Map<String, Object> headers = new HashMap<>(headers(message));
        headers.put(OUTAGE_RETRIES_HEADER, waited + 1);
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
        // An order of a batch is copied alone, named by its own order id, not by its batch's message id.
        message.getMetadata(BatchMembers.Member.class).map(BatchMembers.Member::orderId)
                .or(() -> message.getMetadata(IncomingRabbitMQMetadata.class).flatMap(IncomingRabbitMQMetadata::getMessageId))
                .ifPresent(metadata::withMessageId);
        if (expirationMs != null) {
            metadata.withExpiration(expirationMs);
        }
        return Message.of(body, Metadata.of(metadata.build()));
    }

    private static Map<String, Object> headers(Message<?> message) {
        Map<String, Object> kept = new HashMap<>();
        message.getMetadata(IncomingRabbitMQMetadata.class).ifPresent(incoming -> incoming.getHeaders().forEach((name, value) -> {
            // The broker's own bookkeeping (x-death, x-first-death-*) is not ours to copy, nor the sender's CC
            // (an OrderPlaced's hold timer): a copy goes to its one retry or parking queue, nowhere else.
            if (!name.startsWith("x-death") && !name.startsWith("x-first-death") && !name.startsWith("x-last-death")
                    && !name.equals("CC") && !name.equals("BCC")) {
                kept.put(name, value == null ? null : value.toString());
            }
        }));
        return kept;
    }

    private static int retries(Message<?> message) {
        return header(message, OrderTopology.RETRIES_HEADER);
    }

    private static int header(Message<?> message, String name) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .map(incoming -> incoming.getHeaders().get(name))
                .map(value -> Integer.parseInt(value.toString()))
                .orElse(0);
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
