package io.miaosha.api.arming;

import io.miaosha.common.sale.RestoreSaleScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every order MySQL records for a sale, as the holds its rebuilt hot state gets (read on the writer),
 * a seat pick's with its seats (order_seats), so the rebuild marks them held or sold again.
 */
@ApplicationScoped
public class RecoveryOrders {

    private final Pool writer;

    public RecoveryOrders(Pool writer) {
        this.writer = writer;
    }

    public Uni<List<RestoreSaleScript.Order>> ofSale(long saleId) {
        return writer.preparedQuery("""
                        SELECT o.id, o.user_id, o.quantity, o.pay_by, o.status, o.payment_id, o.created_at, o.idempotency_key,
                               o.request_fingerprint, o.total_minor,
                               (SELECT GROUP_CONCAT(os.position ORDER BY os.position) FROM order_seats os
                                WHERE os.order_id = o.id) AS seats
                        FROM orders o WHERE o.sale_id = ?""")
                .execute(Tuple.of(saleId))
                .map(rows -> {
                    List<RestoreSaleScript.Order> orders = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        orders.add(new RestoreSaleScript.Order(row.getString(0), row.getLong(1), row.getInteger(2),
                                epochMs(row, 3), holdStatus(row.getString(4)), row.getString(5), epochMs(row, 6),
                                row.getString(7), row.getString(8), row.getLong(9), positions(row.getString(10))));
                    }
                    return orders;
                });
    }

    private static List<Integer> positions(String list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
    }

    private static RestoreSaleScript.HoldStatus holdStatus(String orderStatus) {
        return switch (orderStatus) {
            case "PAID" -> RestoreSaleScript.HoldStatus.PAID;
            case "PENDING_PAYMENT" -> RestoreSaleScript.HoldStatus.PENDING;
            default -> RestoreSaleScript.HoldStatus.EXPIRED; // EXPIRED, or any end that holds no unit
        };
    }

    private static long epochMs(Row row, int column) {
        return row.getLocalDateTime(column).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
