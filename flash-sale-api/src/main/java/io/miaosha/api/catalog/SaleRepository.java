package io.miaosha.api.catalog;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sales in MySQL. Catalog listings read the replica ({@code read} data source); admin changes and
 * the reads that must see them ({@link #findForUpdate}) go to the writer.
 */
@ApplicationScoped
public class SaleRepository {

    private static final String SELECT = """
            SELECT s.id, s.product_id, p.name, p.description, p.image_url, s.title, s.price_minor, s.currency,
                   s.stock, s.opens_at, s.closes_at, s.per_user_limit, s.queue_capacity, s.window_seconds,
                   s.hold_seconds, s.cancelled, s.armed_at, s.queue_enabled, s.updated_at, s.verified_email_only,
                   s.venue_id
            FROM sales s JOIN products p ON p.id = s.product_id
            """;

    /** Sales already reported as unreadable: one log line per broken row, not one per listing. */
    private static final Set<Long> REPORTED_UNREADABLE = ConcurrentHashMap.newKeySet();

    private final Pool writer;
    private final Pool reader;

    public SaleRepository(Pool writer, @ReactiveDataSource("read") Pool reader) {
        this.writer = writer;
        this.reader = reader;
    }

    /** Sales not yet over by more than a day, soonest first: what a storefront lists. */
    public Uni<List<Sale>> listCurrent(Instant now) {
        return reader.preparedQuery(SELECT + " WHERE s.closes_at > ? ORDER BY s.opens_at, s.id LIMIT 200")
                .execute(Tuple.of(utc(now.minusSeconds(86_400))))
                .map(SaleRepository::mapAll);
    }

    public Uni<Sale> find(long id) {
        return reader.preparedQuery(SELECT + " WHERE s.id = ?").execute(Tuple.of(id)).map(SaleRepository::first);
    }

    public Uni<Sale> findOnWriter(long id) {
        return findOnWriter(writer, id);
    }

    public Uni<Sale> findForUpdate(SqlClient tx, long id) {
        return tx.preparedQuery(SELECT + " WHERE s.id = ? FOR UPDATE").execute(Tuple.of(id)).map(SaleRepository::first);
    }

    private Uni<Sale> findOnWriter(SqlClient client, long id) {
        return client.preparedQuery(SELECT + " WHERE s.id = ?").execute(Tuple.of(id)).map(SaleRepository::first);
    }

    /** Sales that open within {@code horizon} and have not ended or been cancelled: the ones to arm. */
    public Uni<List<Sale>> listToArm(Instant now, Instant horizon) {
        return writer.preparedQuery(SELECT + " WHERE s.cancelled = FALSE AND s.opens_at <= ? AND s.closes_at > ?")
                .execute(Tuple.of(utc(horizon), utc(now)))
                .map(SaleRepository::mapAll);
    }

    /** Units the database records as held or paid, so a re-arm after a Redis loss never resells them. */
    public Uni<Long> unitsCommitted(long saleId) {
        return writer.preparedQuery("SELECT COALESCE(SUM(quantity), 0) AS units FROM orders WHERE sale_id = ? AND status IN ('PENDING_PAYMENT', 'PAID')")
                .execute(Tuple.of(saleId))
                .map(rows -> rows.iterator().next().getNumeric("units").longValue());
    }

    /** Leaves {@code updated_at} as it was: it versions the sale's terms, and arming changes none. */
    public Uni<Void> markArmed(long saleId, Instant at) {
        return writer.preparedQuery("UPDATE sales SET armed_at = ?, updated_at = updated_at WHERE id = ? AND armed_at IS NULL")
                .execute(Tuple.of(utc(at), saleId)).replaceWithVoid();
    }

    public static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        LocalDateTime value = row.getLocalDateTime(column);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /**
     * A row that cannot become a {@link Sale} (a zero date written before the database ran in strict
     * mode reads back as NULL) is left out: one broken sale must not break the listing, the arming
     * and the lookups of every other sale. A lookup of that sale answers "no such sale".
     */
    private static Sale first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? readable(it.next()) : null;
    }

    private static List<Sale> mapAll(RowSet<Row> rows) {
        List<Sale> sales = new ArrayList<>(rows.size());
        rows.forEach(row -> {
            Sale sale = readable(row);
            if (sale != null) {
                sales.add(sale);
            }
        });
        return sales;
    }

    private static Sale readable(Row row) {
        try {
            return map(row);
        } catch (RuntimeException unreadable) {
            Long id = row.getLong(0);
            if (REPORTED_UNREADABLE.add(id)) {
                Log.errorf("sale %d cannot be read (%s); it is left out of listings, lookups and arming until its row"
                        + " is fixed", id, unreadable.getMessage());
            }
            return null;
        }
    }

    static Sale map(Row row) {
        return new Sale(row.getLong(0), row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getLong(6), row.getString(7), row.getInteger(8),
                instant(row, "opens_at"), instant(row, "closes_at"), row.getInteger(11), row.getInteger(12),
                row.getBoolean(17), row.getInteger(13), row.getInteger(14), row.getBoolean(15), instant(row, "armed_at"),
                instant(row, "updated_at"), row.getBoolean(19), row.getLong(20));
    }
}
