package io.miaosha.api.seating;

import java.util.List;

/**
 * A seat pick: either {@code seats} (seat ids, from the sale's layout) or {@code area} with {@code count}
 * for the best free seats there (side by side in one row when a row has them, front rows first).
 */
public record SeatPickRequest(List<Long> seats, String area, Integer count) {
}
