package io.miaosha.common.email;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The email job the order-worker puts on the SQS email queue when an order is paid, and the email
 * Lambda renders and sends. The order id is the job's identity: a repeated job is the same email.
 */
@RegisterForReflection
public record ConfirmationEmail(
        String orderId,
        String recipient,
        String saleTitle,
        int quantity,
        long unitPriceMinor,
        long totalMinor,
        String currency,
        String paymentId) {

    public ConfirmationEmail {
        if (orderId == null || orderId.isBlank()) {
            throw new IllegalArgumentException("orderId is required");
        }
        if (recipient == null || !recipient.contains("@")) {
            throw new IllegalArgumentException("recipient must be an email address");
        }
        if (quantity <= 0 || totalMinor < 0) {
            throw new IllegalArgumentException("quantity must be positive and totalMinor not negative");
        }
    }
}
