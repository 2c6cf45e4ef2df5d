package io.miaosha.common.order;

import java.util.Arrays;
import java.util.List;

/**
 * A seated order's seats as one SQL column of an order query, "Stalls row A seat 3" each, front to
 * back; NULL for an order of units. Shared by the API's order view and the worker's confirmation email
 * so both name the seats the same way.
 */
public final class OrderSeatsSql {

    /** Between the seats in the column: a control character no area, row or seat label contains. */
    private static final String SEPARATOR = "\u001e";

    /** The column for the order aliased {@code o}. */
    public static final String COLUMN = "(SELECT GROUP_CONCAT(CONCAT(a.name, ' row ', st.row_label, ' seat ', st.seat_label)"
            + " ORDER BY os.position SEPARATOR '" + SEPARATOR + "') FROM order_seats os JOIN seats st ON st.id = os.seat_id"
            + " JOIN venue_areas a ON a.id = st.area_id WHERE os.order_id = o.id)";

    /**
     * Each seat's price (minor units) as order_seats keeps it, in the order of {@link #COLUMN}: the exact
     * price the shopper was shown for that seat, where the order's unit price of a pick across areas is an
     * average. NULL for an order of units.
     */
    public static final String PRICES_COLUMN = "(SELECT GROUP_CONCAT(os.price_minor ORDER BY os.position SEPARATOR ',')"
            + " FROM order_seats os WHERE os.order_id = o.id)";

    private OrderSeatsSql() {
    }

    public static List<String> seats(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(SEPARATOR));
    }

    public static List<Long> prices(String pricesColumn) {
        return pricesColumn == null || pricesColumn.isEmpty() ? List.of()
                : Arrays.stream(pricesColumn.split(",")).map(Long::valueOf).toList();
    }
}
