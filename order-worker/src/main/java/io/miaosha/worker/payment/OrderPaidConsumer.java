package io.miaosha.worker.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.common.order.OrderPaid;
import io.miaosha.worker.messaging.FailedMessages;
import io.miaosha.worker.messaging.MessageBodies;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Consumes OrderPaid from miaosha.orders.paid; acknowledges after the order is PAID and its email queued. */
@ApplicationScoped
public class OrderPaidConsumer {

    private final PaymentRecorder recorder;
    private final FailedMessages failed;
    private final ObjectMapper json;

    public OrderPaidConsumer(PaymentRecorder recorder, FailedMessages failed, ObjectMapper json) {
        this.recorder = recorder;
        this.failed = failed;
        this.json = json;
    }

    @Incoming(OrderChannels.PAYMENTS)
    public Uni<Void> onOrderPaid(Message<?> message) {
        OrderPaid paid;
        try {
            paid = json.convertValue(MessageBodies.jsonObject(message.getPayload()), OrderPaid.class);
        } catch (RuntimeException malformed) {
            return failed.park(message, OrderChannels.PAID_QUEUE, "malformed OrderPaid: " + malformed.getMessage());
        }
        // Deferred: even an exception thrown while building the pipeline becomes a retry, not a dead stream.
        return failed.bounded(Uni.createFrom().deferred(() -> recorder.record(paid)), OrderChannels.PAID_QUEUE)
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> failed.retryOrPark(message, OrderChannels.PAID_QUEUE, failure));
    }
}
