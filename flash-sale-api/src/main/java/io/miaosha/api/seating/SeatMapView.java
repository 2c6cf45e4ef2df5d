package io.miaosha.api.seating;

/**
 * The live state of every seat: {@code states} has one character per position, '0' free, '1' held,
 * '2' sold. {@code lastChangeId} is the id of the last entry of the sale's seat-change stream that the
 * states include: a live view applies the changes after it.
 */
public record SeatMapView(long saleId, String states, String lastChangeId) {
}
