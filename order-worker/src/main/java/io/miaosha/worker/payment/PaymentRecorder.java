package io.miaosha.worker.payment;

import io.miaosha.common.order.OrderPaid;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.worker.events.OrderEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records a payment: the order becomes PAID in MySQL, the shopper's sockets are told (when it changed
 * now), and its confirmation email goes to SQS unless that already happened. A redelivered OrderPaid changes nothing;
 * one redelivered after a crash between commit and SQS queues the email it had not queued.
 */
@ApplicationScoped
public class PaymentRecorder {

    private final PaidOrders orders;
    private final ConfirmationEmails emails;
    private final OrderEvents events;

    public PaymentRecorder(PaidOrders orders, ConfirmationEmails emails, OrderEvents events) {
        this.orders = orders;
        this.emails = emails;
        this.events = events;
    }

    public Uni<Void> record(OrderPaid paid) {
        // The shopper's pages hear of the payment as soon as it is recorded, not once the email is queued:
        // an email queue that is down (retried with back-off) must not keep an order page on "pending".
        return orders.markPaid(paid)
                .call(result -> result.changedNow()
                        ? events.orderChanged(paid.orderId(), paid.userId(), paid.saleId(), OrderStatus.PAID)
                        : Uni.createFrom().voidItem())
                .call(result -> result.confirmationQueued() ? Uni.createFrom().voidItem()
                        : emails.queue(result.email()).chain(() -> orders.markConfirmationQueued(paid.orderId())))
                .replaceWithVoid();
    }
}
