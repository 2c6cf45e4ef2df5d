package io.miaosha.api.venue;

import java.util.List;

/**
 * A venue ready to be stored: areas by ordinal (from 1) and seats by position (from 0), ordered by
 * area, row (front first) and x, so an area is a range of positions and so is each of its rows.
 */
public record VenueLayout(String name, List<Area> areas, List<Seat> seats) {

    public record Area(int ordinal, String name, String priceTier) {
    }

    public record Seat(int position, int areaOrdinal, int rowOrdinal, String rowLabel, String label, int x, int y) {
    }
}
