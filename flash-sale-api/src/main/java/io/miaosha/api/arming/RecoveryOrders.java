package io.miaosha.api.arming;

import io.miaosha.common.sale.RestoreSaleScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Every order MySQL records for a sale, as the holds its rebuilt hot state gets (read on the writer). */
@ApplicationScoped
public class RecoveryOrders {

    private final Pool writer;

    public RecoveryOrders(Pool writer) {
        this.writer = writer;
    }

    public Uni<List<RestoreSaleScript.Order>> ofSale(long saleId) {
        return writer.preparedQuery("""
                        SELECT id, user_id, quantity, pay_by, status, payment_id, created_at, idempotency_key,
                               request_fingerprint
                        FROM orders WHERE sale_id = ?""")
                .execute(Tuple.of(saleId))
                .map(rows -> {
                    List<RestoreSaleScript.Order> orders = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        orders.add(new RestoreSaleScript.Order(row.getString(0), row.getLong(1), row.getInteger(2),
                                epochMs(row, 3), holdStatus(row.getString(4)), row.getString(5), epochMs(row, 6),
                                row.getString(7), row.getString(8)));
                    }
                    return orders;
                });
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
