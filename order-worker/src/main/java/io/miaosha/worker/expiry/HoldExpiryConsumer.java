package io.miaosha.worker.expiry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.worker.messaging.FailedMessages;
import io.miaosha.worker.messaging.MessageBodies;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes HoldDue from miaosha.orders.expire, where the hold timers dead-letter at pay-by time. */
@ApplicationScoped
public class HoldExpiryConsumer {

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
        HoldDue due;
        try {
            due = json.convertValue(MessageBodies.jsonObject(message.getPayload()), HoldDue.class);
        } catch (RuntimeException malformed) {
            return failed.park(message, OrderChannels.EXPIRE_QUEUE, "malformed HoldDue: " + malformed.getMessage());
        }
        // Deferred: even an exception thrown while building the pipeline becomes a retry, not a dead stream.
        return failed.bounded(Uni.createFrom().deferred(() -> expiry.expire(due)), OrderChannels.EXPIRE_QUEUE)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> failed.retryOrPark(message, OrderChannels.EXPIRE_QUEUE, failure));
    }
}
