package io.miaosha.worker.expiry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.worker.messaging.FailedMessages;
import io.miaosha.worker.messaging.MessageBodies;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes hold timers from miaosha.orders.expire, where they dead-letter at pay-by time: a HoldDue, an
 * OrderPlaced, or a batch of OrderPlaced (the relay's {@link io.miaosha.common.order.OrderBatch}), whose
 * order id, sale id and pay-by are a HoldDue's fields.
 */
@ApplicationScoped
public class HoldExpiryConsumer {

    /** Each expiry is a script, an UPDATE and two events: a batch of a hundred takes a few of those at once. */
    private static final int CONCURRENT_EXPIRIES_PER_BATCH = 8;

    private final HoldExpiry expiry;
    private final FailedMessages failed;
    private final ObjectMapper json;

    public HoldExpiryConsumer(HoldExpiry expiry, FailedMessages failed, ObjectMapper json) {
        this.expiry = expiry;
        this.failed = failed;
        this.json = json;
    }

    @Incoming(OrderChannels.EXPIRIES)
    public Uni<Void> onHoldDue(Message<?> message) {
        List<HoldDue> dues;
        try {
            dues = MessageBodies.orders(MessageBodies.jsonObject(message.getPayload())).stream()
                    .map(order -> json.convertValue(order, HoldDue.class)).toList();
        } catch (RuntimeException malformed) {
            return failed.park(message, OrderChannels.EXPIRE_QUEUE, "malformed HoldDue: " + malformed.getMessage());
        }
        // A batch's holds fall due together (its orders' hold timer); each expiry is idempotent, so a batch that
        // fails part-way is tried again whole. Deferred: even an exception thrown while building the pipeline
        // becomes a retry, not a dead stream.
        Uni<Void> expireAll = Multi.createFrom().iterable(dues)
                .onItem().transformToUni(due -> Uni.createFrom().deferred(() -> expiry.expire(due)))
                .merge(CONCURRENT_EXPIRIES_PER_BATCH)
                .collect().last().replaceWithVoid();
        return failed.bounded(expireAll, OrderChannels.EXPIRE_QUEUE)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> failed.retryOrPark(message, OrderChannels.EXPIRE_QUEUE, failure));
    }
}
