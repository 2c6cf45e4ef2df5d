package io.miaosha.common.events;

import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderPaid;
import io.miaosha.common.order.OrderPlaced;
import java.util.Map;

/**
 * Reads the entries of a sale's outbox stream ({@code SaleKeys#outbox}) as the messages the worker
 * consumes. purchase.lua and pay.lua write them with XADD as field maps (not JSON: the relay reads
 * fields, and entries already in a stream keep this layout); an entry without a "v" field is version 1.
 */
public final class OutboxEntries {

    private OutboxEntries() {
    }

    /** pay.lua marks its entries {@code type=paid}; purchase.lua's carry no type. */
    public static boolean isPayment(Map<String, String> fields) {
        return "paid".equals(fields.get("type"));
    }

    public static OrderPlaced toOrderPlaced(Map<String, String> fields) {
        return new OrderPlaced(
                text(fields, "orderId"),
                number(fields, "saleId"),
                number(fields, "userId"),
                integer(fields, "quantity"),
                number(fields, "price"),
                text(fields, "currency"),
                number(fields, "createdAt"),
                number(fields, "payBy"),
                optional(fields, "idemKey"),
                optional(fields, "fingerprint"),
                seatPositions(optional(fields, "seats")),
                optional(fields, "amount") == null ? null : number(fields, "amount"));
    }

    private static java.util.List<Integer> seatPositions(String list) {
        if (list == null) {
            return null;
        }
        try {
            return java.util.Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field 'seats' is not a list of seat positions: '" + list + "'");
        }
    }

    public static OrderPaid toOrderPaid(Map<String, String> fields) {
        return new OrderPaid(
                text(fields, "orderId"),
                number(fields, "saleId"),
                number(fields, "userId"),
                integer(fields, "quantity"),
                number(fields, "price"),
                text(fields, "currency"),
                text(fields, "paymentId"),
                number(fields, "paidAt"));
    }

    public static HoldDue toHoldDue(OrderPlaced order) {
        return new HoldDue(order.orderId(), order.saleId(), order.payByMs());
    }

    /** The hold timer of an entry whose order cannot be read but whose hold can. */
    public static HoldDue toHoldDue(Map<String, String> fields) {
        return new HoldDue(text(fields, "orderId"), number(fields, "saleId"), number(fields, "payBy"));
    }

    public static long holdMs(Map<String, String> fields) {
        return Math.max(1, number(fields, "payBy") - number(fields, "createdAt"));
    }

    // Readers of the entry's fields, failing with a reason an admin can act on (it lands in the parking queue).

    private static String text(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return value;
    }

    /** A field entries written before it existed lack, or that is empty when it does not apply. */
    private static String optional(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static long number(Map<String, String> fields, String name) {
        String value = text(fields, name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + name + "' is not a whole number: '" + value + "'");
        }
    }

    private static int integer(Map<String, String> fields, String name) {
        long value = number(fields, name);
        if (value != (int) value) {
            throw new IllegalArgumentException("field '" + name + "' is out of range: " + value);
        }
        return (int) value;
    }
}
