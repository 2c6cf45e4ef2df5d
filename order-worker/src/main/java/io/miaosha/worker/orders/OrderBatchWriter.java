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
        return writer.withTransaction(tx -> insertOrders(tx, orders).chain(() -> insertHistory(tx, orders)));
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
