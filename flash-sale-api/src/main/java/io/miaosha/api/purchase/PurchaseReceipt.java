package io.miaosha.api.purchase;

import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an accepted purchase; a replay with the same Idempotency-Key gets the same one. */
public record PurchaseReceipt(String orderId,
        @Schema(description = "The short code a person reads out, e.g. \"2E3F-4A5B\": the id's last 8 hex digits, as in the confirmation email") String shortCode,
        long saleId, OrderStatus status, int quantity, Instant payBy) {

    public PurchaseReceipt(String orderId, long saleId, OrderStatus status, int quantity, Instant payBy) {
        this(orderId, OrderIds.shortCode(orderId), saleId, status, quantity, payBy);
    }
}
