package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.order.OrderStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a batch of orders in one transaction: one multi-row INSERT for the orders and one for
 * their first status. The order id is the primary key, so a redelivered order changes nothing (ON
 * DUPLICATE KEY keeps the row): the write is idempotent, which turns the broker's at-least-once into
 * exactly-once rows. Not INSERT IGNORE: that would turn a row the database refuses (a date out of
 * range) into a warning and an order silently lost; here it fails the batch, and the batcher finds it.
 */
@ApplicationScoped
public class OrderBatchWriter {

    private final Pool writer;

    public OrderBatchWriter(Pool writer) {
        this.writer = writer;
    }

    public Uni<Void> write(List<OrderPlaced> orders) {
        return writer.withTransaction(tx -> insertOrders(tx, orders).chain(() -> insertHistory(tx, orders))
                .chain(() -> insertSeats(tx, orders)));
    }

    /**
     * The seats of the batch's seated orders, in the orders' transaction: an order row never exists
     * without its seats. Each seat's price is its area's in the sale, the one the pick was priced at
     * (a sale's area prices never change). A seat the sale's venue lacks inserts no row, so the count
     * is checked: such an order fails the batch like any row the database refuses.
     */
    private Uni<Void> insertSeats(SqlClient tx, List<OrderPlaced> orders) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (OrderPlaced order : orders) {
            if (!order.seated()) {
                continue;
            }
            StringBuilder sql = new StringBuilder("INSERT INTO order_seats (order_id, seat_id, sale_id, position, price_minor)"
                    + " SELECT ?, st.id, sl.id, st.position, p.price_minor FROM sales sl"
                    + " JOIN seats st ON st.venue_id = sl.venue_id"
                    + " JOIN sale_area_prices p ON p.sale_id = sl.id AND p.area_id = st.area_id"
                    + " WHERE sl.id = ? AND st.position IN (");
            List<Object> values = new ArrayList<>(order.seatPositions().size() + 2);
            values.add(order.orderId());
            values.add(order.saleId());
            for (int i = 0; i < order.seatPositions().size(); i++) {
                sql.append(i == 0 ? "?" : ",?");
                values.add(order.seatPositions().get(i));
            }
            sql.append(") ON DUPLICATE KEY UPDATE order_id = order_id");
            chain = chain.chain(() -> tx.preparedQuery(sql.toString()).execute(Tuple.from(values)))
                    .chain(() -> tx.preparedQuery("SELECT COUNT(*) FROM order_seats WHERE order_id = ?")
                            .execute(Tuple.of(order.orderId())))
                    .invoke(rows -> {
                        if (rows.iterator().next().getLong(0) != order.seatPositions().size()) {
                            throw new IllegalArgumentException("order " + order.orderId() + " names seats "
                                    + order.seatPositions() + " that sale " + order.saleId() + "'s venue does not have");
                        }
                    })
                    .replaceWithVoid();
        }
        return chain;
    }

    private Uni<Void> insertOrders(SqlClient tx, List<OrderPlaced> orders) {
        StringBuilder sql = new StringBuilder("INSERT INTO orders (id, sale_id, user_id, quantity, unit_price_minor, "
                + "total_minor, currency, status, pay_by, created_at, idempotency_key, request_fingerprint) VALUES ");
        List<Object> values = new ArrayList<>(orders.size() * 12);
        for (int i = 0; i < orders.size(); i++) {
            OrderPlaced order = orders.get(i);
            sql.append(i == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?)");
            values.add(order.orderId());
            values.add(order.saleId());
            values.add(order.userId());
            values.add(order.quantity());
            values.add(order.unitPriceMinor());
            values.add(order.totalMinor());
            values.add(order.currency());
            values.add(OrderStatus.PENDING_PAYMENT.name());
            values.add(utc(order.payByMs()));
            values.add(utc(order.createdAtMs()));
            // Kept so that recovery after a Redis loss can answer a retry with this order again.
            values.add(order.idempotencyKey());
            values.add(order.requestFingerprint());
        }
        sql.append(" ON DUPLICATE KEY UPDATE id = id");
        return tx.preparedQuery(sql.toString()).execute(Tuple.from(values)).replaceWithVoid();
    }

    private Uni<Void> insertHistory(SqlClient tx, List<OrderPlaced> orders) {
        StringBuilder sql = new StringBuilder("INSERT INTO order_status_history (order_id, status, changed_at) VALUES ");
        List<Object> values = new ArrayList<>(orders.size() * 3);
        for (int i = 0; i < orders.size(); i++) {
            sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
            values.add(orders.get(i).orderId());
            values.add(OrderStatus.PENDING_PAYMENT.name());
            values.add(utc(orders.get(i).createdAtMs()));
        }
        sql.append(" ON DUPLICATE KEY UPDATE order_id = order_id");
        return tx.preparedQuery(sql.toString()).execute(Tuple.from(values)).replaceWithVoid();
    }

    private static LocalDateTime utc(long epochMs) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
    }
}
