package io.miaosha.worker.payment;

import io.miaosha.common.email.ConfirmationEmail;
import io.miaosha.common.order.OrderPaid;
import io.miaosha.common.order.OrderSeatsSql;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.worker.messaging.NotYetPersisted;
import io.miaosha.worker.messaging.PoisonMessage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Makes an order PAID in MySQL, once, and remembers when its confirmation email was queued. */
@ApplicationScoped
public class PaidOrders {

    private final Pool writer;

    public PaidOrders(Pool writer) {
        this.writer = writer;
    }

    /** What the worker still has to do for a paid order after the row says PAID. */
    public record Paid(boolean changedNow, boolean confirmationQueued, ConfirmationEmail email) {
    }

    public Uni<Paid> markPaid(OrderPaid paid) {
        LocalDateTime paidAt = LocalDateTime.ofInstant(Instant.ofEpochMilli(paid.paidAtMs()), ZoneOffset.UTC);
        return writer.withTransaction(tx -> tx
                .preparedQuery("UPDATE orders SET status = ?, payment_id = ? WHERE id = ? AND status = ?")
                .execute(Tuple.of(OrderStatus.PAID.name(), paid.paymentId(), paid.orderId(), OrderStatus.PENDING_PAYMENT.name()))
                .chain(updated -> updated.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery("INSERT IGNORE INTO order_status_history (order_id, status, changed_at) VALUES (?, ?, ?)")
                                .execute(Tuple.of(paid.orderId(), OrderStatus.PAID.name(), paidAt)).replaceWith(true))
                .chain(changed -> tx.preparedQuery("SELECT o.status, o.confirmation_queued_at IS NOT NULL, u.email, s.title,"
                                + " o.quantity, o.unit_price_minor, o.total_minor, o.currency, o.payment_id, " + OrderSeatsSql.COLUMN
                                + " FROM orders o JOIN users u ON u.id = o.user_id JOIN sales s ON s.id = o.sale_id WHERE o.id = ?")
                        .execute(Tuple.of(paid.orderId()))
                        .map(rows -> {
                            if (!rows.iterator().hasNext()) {
                                throw new NotYetPersisted(paid.orderId());
                            }
                            return toPaid(paid, changed, rows.iterator().next());
                        })));
    }

    public Uni<Void> markConfirmationQueued(String orderId) {
        return writer.preparedQuery("UPDATE orders SET confirmation_queued_at = ? WHERE id = ? AND confirmation_queued_at IS NULL")
                .execute(Tuple.of(LocalDateTime.now(ZoneOffset.UTC), orderId)).replaceWithVoid();
    }

    private static Paid toPaid(OrderPaid paid, boolean changed, Row row) {
        String status = row.getString(0);
        if (!OrderStatus.PAID.name().equals(status)) {
            // Redis said paid (pay.lua) but MySQL says otherwise: the two must never disagree; a human looks.
            throw new PoisonMessage("order " + paid.orderId() + " is " + status + " in MySQL but was paid in Redis");
        }
        ConfirmationEmail email = new ConfirmationEmail(paid.orderId(), row.getString(2), row.getString(3),
                row.getInteger(4), row.getLong(5), row.getLong(6), row.getString(7), row.getString(8),
                OrderSeatsSql.seats(row.getString(9)));
        return new Paid(changed, row.getBoolean(1), email);
    }
}
