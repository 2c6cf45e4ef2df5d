package io.miaosha.api.purchase;

import io.miaosha.common.order.OrderStatus;
import java.time.Instant;

/** The answer to an accepted purchase; a replay with the same Idempotency-Key gets the same one. */
public record PurchaseReceipt(String orderId, long saleId, OrderStatus status, int quantity, Instant payBy) {
}
