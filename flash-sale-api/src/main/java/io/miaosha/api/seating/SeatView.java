package io.miaosha.api.seating;

/** One seat as a receipt or a refusal names it. */
public record SeatView(long id, int position, String area, String row, String seat, int x, int y, long priceMinor) {
}
