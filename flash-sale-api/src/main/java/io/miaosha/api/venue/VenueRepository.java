package io.miaosha.api.venue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Venues, their areas and seats, on the writer. A venue is written in one transaction: all of it or none. */
@ApplicationScoped
public class VenueRepository {

    /** Seats per INSERT: 8 parameters each, well under the protocol's 65,535 per statement. */
    private static final int SEATS_PER_INSERT = 2_000;

    private final Pool writer;

    public VenueRepository(Pool writer) {
        this.writer = writer;
    }

    public Uni<Long> insert(VenueLayout venue) {
        return writer.withTransaction(tx -> tx
                .preparedQuery("INSERT INTO venues (name, seat_count) VALUES (?, ?)")
                .execute(Tuple.of(venue.name(), venue.seats().size()))
                .map(rows -> (Long) rows.property(MySQLClient.LAST_INSERTED_ID))
                .call(venueId -> insertAreas(tx, venueId, venue.areas())
                        .chain(areaIds -> insertSeats(tx, venueId, areaIds, venue.seats(), 0))));
    }

    private Uni<Map<Integer, Long>> insertAreas(SqlClient tx, long venueId, List<VenueLayout.Area> areas) {
        StringBuilder sql = new StringBuilder("INSERT INTO venue_areas (venue_id, ordinal, name, price_tier) VALUES ");
        List<Object> values = new ArrayList<>();
        for (VenueLayout.Area area : areas) {
            sql.append(values.isEmpty() ? "(?,?,?,?)" : ",(?,?,?,?)");
            values.add(venueId);
            values.add(area.ordinal());
            values.add(area.name());
            values.add(area.priceTier());
        }
        return tx.preparedQuery(sql.toString()).execute(Tuple.from(values))
                .chain(() -> tx.preparedQuery("SELECT ordinal, id FROM venue_areas WHERE venue_id = ?").execute(Tuple.of(venueId)))
                .map(rows -> {
                    Map<Integer, Long> ids = new HashMap<>();
                    rows.forEach(row -> ids.put(row.getInteger(0), row.getLong(1)));
                    return ids;
                });
    }

    private Uni<Void> insertSeats(SqlClient tx, long venueId, Map<Integer, Long> areaIds, List<VenueLayout.Seat> seats, int from) {
        if (from >= seats.size()) {
            return Uni.createFrom().voidItem();
        }
        int to = Math.min(seats.size(), from + SEATS_PER_INSERT);
        StringBuilder sql = new StringBuilder(
                "INSERT INTO seats (venue_id, area_id, position, row_ordinal, row_label, seat_label, x, y) VALUES ");
        List<Object> values = new ArrayList<>((to - from) * 8);
        for (int i = from; i < to; i++) {
            VenueLayout.Seat seat = seats.get(i);
            sql.append(i == from ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)");
            values.add(venueId);
            values.add(areaIds.get(seat.areaOrdinal()));
            values.add(seat.position());
            values.add(seat.rowOrdinal());
            values.add(seat.rowLabel());
            values.add(seat.label());
            values.add(seat.x());
            values.add(seat.y());
        }
        return tx.preparedQuery(sql.toString()).execute(Tuple.from(values))
                .chain(() -> insertSeats(tx, venueId, areaIds, seats, to));
    }

    public Uni<List<VenueView>> list() {
        return writer.query("SELECT id, name, seat_count FROM venues ORDER BY id").execute()
                .map(rows -> {
                    List<VenueView> venues = new ArrayList<>();
                    rows.forEach(row -> venues.add(new VenueView(row.getLong(0), row.getString(1), row.getInteger(2), List.of())));
                    return venues;
                });
    }

    /** The venue with its areas, or null. */
    public Uni<VenueView> find(long venueId) {
        return writer.preparedQuery("SELECT id, name, seat_count FROM venues WHERE id = ?").execute(Tuple.of(venueId))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().nullItem();
                    }
                    Row venue = rows.iterator().next();
                    return writer.preparedQuery("""
                                    SELECT a.id, a.ordinal, a.name, a.price_tier,
                                           COUNT(DISTINCT s.row_ordinal), COUNT(s.id)
                                    FROM venue_areas a LEFT JOIN seats s ON s.area_id = a.id
                                    WHERE a.venue_id = ? GROUP BY a.id, a.ordinal, a.name, a.price_tier ORDER BY a.ordinal""")
                            .execute(Tuple.of(venueId))
                            .map(areaRows -> {
                                List<VenueView.Area> areas = new ArrayList<>();
                                areaRows.forEach(row -> areas.add(new VenueView.Area(row.getLong(0), row.getInteger(1),
                                        row.getString(2), row.getString(3), row.getInteger(4), row.getInteger(5))));
                                return new VenueView(venue.getLong(0), venue.getString(1), venue.getInteger(2), areas);
                            });
                });
    }
}
