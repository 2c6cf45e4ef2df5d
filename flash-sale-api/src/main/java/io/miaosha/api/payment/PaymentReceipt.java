package io.miaosha.api.payment;

import io.miaosha.common.order.OrderStatus;

/** The answer to a payment; the same for every retry once the order is paid. */
public record PaymentReceipt(String orderId, OrderStatus status, String paymentId, long amountMinor, String currency) {
}
