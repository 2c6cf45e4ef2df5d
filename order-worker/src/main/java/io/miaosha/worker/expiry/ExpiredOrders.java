package io.miaosha.worker.expiry;

import io.miaosha.common.order.OrderStatus;
import io.miaosha.worker.messaging.NotYetPersisted;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Makes an order EXPIRED in MySQL, once: only a PENDING_PAYMENT row changes. */
@ApplicationScoped
public class ExpiredOrders {

    private final Pool writer;

    public ExpiredOrders(Pool writer) {
        this.writer = writer;
    }

    /** True when this call changed the row; fails with NotYetPersisted when there is no row yet. */
    public Uni<Boolean> markExpired(String orderId) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        return writer.withTransaction(tx -> tx
                .preparedQuery("UPDATE orders SET status = ? WHERE id = ? AND status = ?")
                .execute(Tuple.of(OrderStatus.EXPIRED.name(), orderId, OrderStatus.PENDING_PAYMENT.name()))
                .chain(updated -> updated.rowCount() == 1
                        ? tx.preparedQuery("INSERT IGNORE INTO order_status_history (order_id, status, changed_at) VALUES (?, ?, ?)")
                                .execute(Tuple.of(orderId, OrderStatus.EXPIRED.name(), now)).replaceWith(true)
                        : tx.preparedQuery("SELECT status FROM orders WHERE id = ?").execute(Tuple.of(orderId))
                                .map(rows -> {
                                    if (!rows.iterator().hasNext()) {
                                        throw new NotYetPersisted(orderId);
                                    }
                                    return false;
                                })));
    }
}
