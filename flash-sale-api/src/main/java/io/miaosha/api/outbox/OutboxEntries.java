package io.miaosha.api.outbox;

import io.miaosha.common.order.OrderPlaced;
import java.util.Map;

/** Reads an outbox stream entry, written by purchase.lua, as the message the worker consumes. */
final class OutboxEntries {

    private OutboxEntries() {
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
}
