package io.miaosha.api.orders;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Order reads. A single order is read from the writer (a shopper opens it right after buying and
 * must see it: read-your-own-write); the history list tolerates replica lag and reads the replica.
 */
@ApplicationScoped
public class OrderQueries {

    private static final String SELECT = "SELECT id, sale_id, user_id, quantity, unit_price_minor, total_minor, currency, status, pay_by, created_at FROM orders ";

    private final Pool writer;
    private final Pool reader;

    public OrderQueries(Pool writer, @ReactiveDataSource("read") Pool reader) {
        this.writer = writer;
        this.reader = reader;
    }

    public Uni<OrderView> find(String orderId) {
        return writer.preparedQuery(SELECT + "WHERE id = ?").execute(Tuple.of(orderId))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<List<OrderView>> listForUser(long userId, int limit) {
        return reader.preparedQuery(SELECT + "WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
                .execute(Tuple.of(userId, limit))
                .map(rows -> {
                    List<OrderView> orders = new ArrayList<>(rows.size());
                    rows.forEach(row -> orders.add(map(row)));
                    return orders;
                });
    }

    private static OrderView map(Row row) {
        return new OrderView(row.getString(0), row.getLong(1), row.getLong(2), row.getInteger(3), row.getLong(4),
                row.getLong(5), row.getString(6), row.getString(7),
                row.getLocalDateTime(8).toInstant(ZoneOffset.UTC), row.getLocalDateTime(9).toInstant(ZoneOffset.UTC));
    }
}
