package io.miaosha.api.payment;

import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a payment; the same for every retry once the order is paid. */
public record PaymentReceipt(String orderId,
        @Schema(description = "The short code a person reads out, e.g. \"2E3F-4A5B\": the id's last 8 hex digits, as in the confirmation email") String shortCode,
        OrderStatus status, String paymentId, long amountMinor, String currency) {

    public PaymentReceipt(String orderId, OrderStatus status, String paymentId, long amountMinor, String currency) {
        this(orderId, OrderIds.shortCode(orderId), status, paymentId, amountMinor, currency);
    }
}
