package io.miaosha.api.venue;

import io.miaosha.api.problem.Problems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A venue as an admin describes it, in one of two forms: a grid (each area with {@code rows} rows of
 * {@code seatsPerRow} seats, labelled 1, 2, ...) or a list of {@code seats} naming their area, row,
 * label and coordinates. Every rule is checked here, before anything is written; {@link #layout()}
 * answers the venue with each seat's position (by area, then row in order of first mention, then x).
 */
public record VenueRequest(String name, List<AreaSpec> areas, List<SeatSpec> seats) {

    public static final int MAX_SEATS = 100_000;
    private static final int MAX_COORDINATE = 1_000_000;
    /** Grid seats are drawn this many units apart; areas one empty row apart. */
    private static final int GRID_STEP = 10;

    public record AreaSpec(String name, String priceTier, Integer rows, Integer seatsPerRow) {
    }

    public record SeatSpec(String area, String row, String seat, Integer x, Integer y) {
    }

    public VenueLayout layout() {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw invalid("name", "is required, at most 200 characters");
        }
        if (areas == null || areas.isEmpty()) {
            throw invalid("areas", "is required: at least one area");
        }
        if (areas.size() > 1000) {
            throw invalid("areas", "must be at most 1000");
        }
        List<VenueLayout.Area> layoutAreas = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < areas.size(); i++) {
            AreaSpec area = areas.get(i);
            String field = "areas[" + i + "]";
            if (area == null) {
                throw invalid(field, "must be an object");
            }
            if (area.name() == null || area.name().isBlank() || area.name().length() > 100) {
                throw invalid(field + ".name", "is required, at most 100 characters");
            }
            if (!names.add(area.name())) {
                throw invalid(field + ".name", "'" + area.name() + "' is named twice");
            }
            String tier = area.priceTier() == null ? area.name() : area.priceTier();
            if (tier.isBlank() || tier.length() > 50) {
                throw invalid(field + ".priceTier", "must be 1 to 50 characters");
            }
            layoutAreas.add(new VenueLayout.Area(i + 1, area.name(), tier));
        }
        return new VenueLayout(name, layoutAreas, seats == null ? gridSeats() : listedSeats());
    }

    private List<VenueLayout.Seat> gridSeats() {
        long total = 0;
        for (int i = 0; i < areas.size(); i++) {
            AreaSpec area = areas.get(i);
            if (area.rows() == null || area.rows() < 1 || area.rows() > MAX_SEATS) {
                throw invalid("areas[" + i + "].rows", "is required without a seats list: 1 to " + MAX_SEATS);
            }
            if (area.seatsPerRow() == null || area.seatsPerRow() < 1 || area.seatsPerRow() > MAX_SEATS) {
                throw invalid("areas[" + i + "].seatsPerRow", "is required without a seats list: 1 to " + MAX_SEATS);
            }
            total += (long) area.rows() * area.seatsPerRow();
        }
        checkTotal(total);
        List<VenueLayout.Seat> result = new ArrayList<>((int) total);
        int y = 0;
        for (int a = 0; a < areas.size(); a++) {
            AreaSpec area = areas.get(a);
            for (int r = 1; r <= area.rows(); r++) {
                for (int s = 1; s <= area.seatsPerRow(); s++) {
                    result.add(new VenueLayout.Seat(result.size(), a + 1, r, Integer.toString(r), Integer.toString(s),
                            s * GRID_STEP, y));
                }
                y += GRID_STEP;
            }
            y += GRID_STEP;
        }
        return result;
    }

    private List<VenueLayout.Seat> listedSeats() {
        for (int i = 0; i < areas.size(); i++) {
            if (areas.get(i).rows() != null || areas.get(i).seatsPerRow() != null) {
                throw invalid("areas[" + i + "]", "rows and seatsPerRow describe a grid: leave them out with a seats list");
            }
        }
        checkTotal(seats.size());
        Map<String, Integer> ordinals = new HashMap<>();
        for (int i = 0; i < areas.size(); i++) {
            ordinals.put(areas.get(i).name(), i + 1);
        }
        record Placed(int area, int row, String rowLabel, String label, int x, int y) {
        }
        // Rows numbered per area in order of first mention, so the list's order says which row is in front.
        Map<Integer, Map<String, Integer>> rowOrdinals = new HashMap<>();
        Set<String> labels = new HashSet<>();
        List<Placed> placed = new ArrayList<>(seats.size());
        for (int i = 0; i < seats.size(); i++) {
            SeatSpec seat = seats.get(i);
            String field = "seats[" + i + "]";
            if (seat == null) {
                throw invalid(field, "must be an object");
            }
            Integer area = seat.area() == null ? null : ordinals.get(seat.area());
            if (area == null) {
                throw invalid(field + ".area", "must name one of the areas; got " + quoted(seat.area()));
            }
            requireLabel(field + ".row", seat.row());
            requireLabel(field + ".seat", seat.seat());
            requireCoordinate(field + ".x", seat.x());
            requireCoordinate(field + ".y", seat.y());
            if (!labels.add(seat.area() + "\u0000" + seat.row() + "\u0000" + seat.seat())) {
                throw invalid(field, "seat " + seat.seat() + " of row " + seat.row() + " in " + seat.area() + " is listed twice");
            }
            Map<String, Integer> rows = rowOrdinals.computeIfAbsent(area, a -> new LinkedHashMap<>());
            int row = rows.computeIfAbsent(seat.row(), r -> rows.size() + 1);
            placed.add(new Placed(area, row, seat.row(), seat.seat(), seat.x(), seat.y()));
        }
        for (int a = 1; a <= areas.size(); a++) {
            if (!rowOrdinals.containsKey(a)) {
                throw invalid("areas[" + (a - 1) + "]", "has no seats in the seats list");
            }
        }
        placed.sort(Comparator.comparingInt(Placed::area).thenComparingInt(Placed::row).thenComparingInt(Placed::x));
        List<VenueLayout.Seat> result = new ArrayList<>(placed.size());
        for (Placed p : placed) {
            result.add(new VenueLayout.Seat(result.size(), p.area(), p.row(), p.rowLabel(), p.label(), p.x(), p.y()));
        }
        return result;
    }

    private static void checkTotal(long total) {
        if (total < 1 || total > MAX_SEATS) {
            throw invalid("seats", "a venue has 1 to " + MAX_SEATS + " seats; this one would have " + total);
        }
    }

    private static void requireLabel(String field, String label) {
        if (label == null || label.isBlank() || label.length() > 20) {
            throw invalid(field, "is required, at most 20 characters");
        }
    }

    private static void requireCoordinate(String field, Integer value) {
        if (value == null || value < 0 || value > MAX_COORDINATE) {
            throw invalid(field, "is required, from 0 to " + MAX_COORDINATE);
        }
    }

    private static String quoted(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }

    static Problems.InvalidRequest invalid(String field, String message) {
        return new Problems.InvalidRequest(field + " " + message, List.of(Map.of("field", field, "message", message)));
    }
}
