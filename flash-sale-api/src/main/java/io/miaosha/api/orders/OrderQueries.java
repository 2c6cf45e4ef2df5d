package io.miaosha.api.orders;

import io.miaosha.common.order.OrderSeatsSql;
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

    // The sale's title and its product's name and picture travel with each order: a shopper reads
    // "Runner 42", not "sale 60". LEFT JOIN: an order is shown even if its sale row were missing.
    private static final String SELECT = "SELECT o.id, o.sale_id, o.user_id, o.quantity, o.unit_price_minor, o.total_minor,"
            + " o.currency, o.status, o.pay_by, o.created_at, s.title, p.name, p.image_url, " + OrderSeatsSql.COLUMN + ", " + OrderSeatsSql.PRICES_COLUMN + " FROM orders o"
            + " LEFT JOIN sales s ON s.id = o.sale_id LEFT JOIN products p ON p.id = s.product_id ";

    private final Pool writer;
    private final Pool reader;

    public OrderQueries(Pool writer, @ReactiveDataSource("read") Pool reader) {
        this.writer = writer;
        this.reader = reader;
    }

    public Uni<OrderView> find(String orderId) {
        return writer.preparedQuery(SELECT + "WHERE o.id = ?").execute(Tuple.of(orderId))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<List<OrderView>> listForUser(long userId, int limit) {
        return reader.preparedQuery(SELECT + "WHERE o.user_id = ? ORDER BY o.created_at DESC, o.id DESC LIMIT ?")
                .execute(Tuple.of(userId, limit))
                .map(rows -> {
                    List<OrderView> orders = new ArrayList<>(rows.size());
                    rows.forEach(row -> orders.add(map(row)));
                    return orders;
                });
    }

    private static OrderView map(Row row) {
        List<String> seats = OrderSeatsSql.seats(row.getString(13));
        return new OrderView(row.getString(0), row.getLong(1), row.getLong(2), row.getInteger(3), row.getLong(4),
                row.getLong(5), row.getString(6), row.getString(7),
                row.getLocalDateTime(8).toInstant(ZoneOffset.UTC), row.getLocalDateTime(9).toInstant(ZoneOffset.UTC),
                row.getString(10), row.getString(11), row.getString(12), seats, seatPrices(seats, row.getString(14)));
    }

    private static List<OrderView.SeatPrice> seatPrices(List<String> seats, String pricesColumn) {
        List<Long> prices = OrderSeatsSql.prices(pricesColumn);
        List<OrderView.SeatPrice> priced = new ArrayList<>(seats.size());
        for (int i = 0; i < seats.size() && i < prices.size(); i++) {
            priced.add(new OrderView.SeatPrice(seats.get(i), prices.get(i)));
        }
        return priced;
    }
}
