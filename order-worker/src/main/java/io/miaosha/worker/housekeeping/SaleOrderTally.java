package io.miaosha.worker.housekeeping;

import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.retire.RetireSaleScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** A sale as MySQL has it, read on the primary (a lagging replica would retire a sale too early). */
@ApplicationScoped
public class SaleOrderTally {

    /** When the sale closes (epoch ms; 0 when MySQL has no such sale) and its orders. */
    public record SaleInMySql(long closesAtMs, RetireSaleScript.MySqlOrders orders) {
    }

    private final Pool writer;

    public SaleOrderTally(Pool writer) {
        this.writer = writer;
    }

    public Uni<SaleInMySql> of(long saleId) {
        return writer.preparedQuery("""
                        SELECT s.closes_at, COUNT(o.id), COALESCE(SUM(o.status = ?), 0)
                        FROM sales s LEFT JOIN orders o ON o.sale_id = s.id WHERE s.id = ? GROUP BY s.closes_at""")
                .execute(Tuple.of(OrderStatus.PENDING_PAYMENT.name(), saleId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return new SaleInMySql(0, new RetireSaleScript.MySqlOrders(0, 0));
                    }
                    Row row = rows.iterator().next();
                    LocalDateTime closesAt = row.getLocalDateTime(0);
                    return new SaleInMySql(closesAt == null ? 0 : closesAt.toInstant(ZoneOffset.UTC).toEpochMilli(),
                            new RetireSaleScript.MySqlOrders(row.getLong(1), row.getLong(2)));
                });
    }
}
