package io.miaosha.api.outbox;

import io.miaosha.common.order.HoldDue;
import io.miaosha.common.order.OrderPaid;
import io.miaosha.common.order.OrderPlaced;
import java.util.Map;

/** Reads outbox stream entries, written by purchase.lua and pay.lua, as the messages the worker consumes. */
final class OutboxEntries {

    private OutboxEntries() {
    }

    /** pay.lua marks its entries {@code type=paid}; purchase.lua's carry no type. */
    static boolean isPayment(Map<String, String> fields) {
        return "paid".equals(fields.get("type"));
    }

    static OrderPlaced toOrderPlaced(Map<String, String> fields) {
        return new OrderPlaced(
                fields.get("orderId"),
                Long.parseLong(fields.get("saleId")),
                Long.parseLong(fields.get("userId")),
                Integer.parseInt(fields.get("quantity")),
                Long.parseLong(fields.get("price")),
                fields.get("currency"),
                Long.parseLong(fields.get("createdAt")),
                Long.parseLong(fields.get("payBy")));
    }

    static OrderPaid toOrderPaid(Map<String, String> fields) {
        return new OrderPaid(
                fields.get("orderId"),
                Long.parseLong(fields.get("saleId")),
                Long.parseLong(fields.get("userId")),
                Integer.parseInt(fields.get("quantity")),
                Long.parseLong(fields.get("price")),
                fields.get("currency"),
                fields.get("paymentId"),
                Long.parseLong(fields.get("paidAt")));
    }

    static HoldDue toHoldDue(OrderPlaced order) {
        return new HoldDue(order.orderId(), order.saleId(), order.payByMs());
    }
}
