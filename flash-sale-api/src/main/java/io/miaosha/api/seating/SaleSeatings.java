package io.miaosha.api.seating;

import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each sale's seating (empty for a sale of units), read from MySQL once per instance: a sale's venue,
 * the venue's seats and the sale's area prices never change, so nothing is ever stale. A failed read
 * is forgotten, so the next request reads again.
 */
@ApplicationScoped
public class SaleSeatings {

    private final Pool writer;
    private final ConcurrentHashMap<Long, Uni<Optional<SaleSeating>>> loaded = new ConcurrentHashMap<>();

    public SaleSeatings(Pool writer) {
        this.writer = writer;
    }

    /** The sale's seating, empty when it sells units; fails with 404 when there is no such sale. */
    public Uni<Optional<SaleSeating>> of(long saleId) {
        return loaded.computeIfAbsent(saleId, id -> read(id)
                        .onFailure().invoke(() -> loaded.remove(id))
                        .memoize().indefinitely());
    }

    private Uni<Optional<SaleSeating>> read(long saleId) {
        return writer.preparedQuery("SELECT venue_id, currency FROM sales WHERE id = ?").execute(Tuple.of(saleId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().failure(new Problems.NotFound("Sale", saleId));
                    }
                    Row sale = rows.iterator().next();
                    Long venueId = sale.getLong(0);
                    if (venueId == null) {
                        return Uni.createFrom().item(Optional.<SaleSeating>empty());
                    }
                    return readVenue(saleId, venueId, sale.getString(1)).map(Optional::of);
                });
    }

    private Uni<SaleSeating> readVenue(long saleId, long venueId, String currency) {
        Uni<RowSet<Row>> areas = writer.preparedQuery("""
                        SELECT a.ordinal, a.id, a.name, a.price_tier, p.price_minor
                        FROM venue_areas a JOIN sale_area_prices p ON p.area_id = a.id AND p.sale_id = ?
                        WHERE a.venue_id = ? ORDER BY a.ordinal""")
                .execute(Tuple.of(saleId, venueId));
        Uni<RowSet<Row>> seats = writer.preparedQuery("""
                        SELECT s.id, a.ordinal, s.row_ordinal, s.row_label, s.seat_label, s.x, s.y
                        FROM seats s JOIN venue_areas a ON a.id = s.area_id
                        WHERE s.venue_id = ? ORDER BY s.position""")
                .execute(Tuple.of(venueId));
        return Uni.combine().all().unis(areas, seats).asTuple().map(both -> {
            int n = both.getItem2().size();
            long[] ids = new long[n];
            int[] areaOrdinals = new int[n];
            int[] rowOrdinals = new int[n];
            String[] rowLabels = new String[n];
            String[] labels = new String[n];
            int[] xs = new int[n];
            int[] ys = new int[n];
            int i = 0;
            for (Row row : both.getItem2()) {
                ids[i] = row.getLong(0);
                areaOrdinals[i] = row.getInteger(1);
                rowOrdinals[i] = row.getInteger(2);
                rowLabels[i] = row.getString(3);
                labels[i] = row.getString(4);
                xs[i] = row.getInteger(5);
                ys[i] = row.getInteger(6);
                i++;
            }
            List<SaleSeating.Area> list = new ArrayList<>();
            int first = 0;
            for (Row row : both.getItem1()) {
                int ordinal = row.getInteger(0);
                int end = first;
                while (end < n && areaOrdinals[end] == ordinal) {
                    end++;
                }
                list.add(new SaleSeating.Area(ordinal, row.getLong(1), row.getString(2), row.getString(3), row.getLong(4), first, end));
                first = end;
            }
            if (first != n) {
                throw new IllegalStateException("sale " + saleId + " has no price for some areas of venue " + venueId);
            }
            return new SaleSeating(saleId, venueId, currency, list, ids, areaOrdinals, rowOrdinals, rowLabels, labels, xs, ys);
        });
    }
}
