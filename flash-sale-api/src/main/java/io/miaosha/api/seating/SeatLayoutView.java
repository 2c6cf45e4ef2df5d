package io.miaosha.api.seating;

import java.util.List;

/**
 * A seated sale's venue for drawing: areas with their prices and position ranges, and the seats as
 * parallel arrays indexed by position (the same index as the seat map's states), so 10,000 seats are
 * a few hundred KB of JSON instead of an object each.
 */
public record SeatLayoutView(long saleId, long venueId, String currency, List<Area> areas, Seats seats) {

    public record Area(int ordinal, String name, String priceTier, long priceMinor, int firstPosition, int seatCount) {
    }

    public record Seats(long[] id, int[] area, String[] row, String[] label, int[] x, int[] y) {
    }
}
