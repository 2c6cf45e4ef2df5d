package io.miaosha.api.venue;

import java.util.List;

/** A venue as the admin API answers it: its areas with how many rows and seats each has. */
public record VenueView(long id, String name, int seatCount, List<Area> areas) {

    public record Area(long id, int ordinal, String name, String priceTier, int rows, int seats) {
    }
}
