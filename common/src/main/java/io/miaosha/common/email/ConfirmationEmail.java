package io.miaosha.common.email;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The email job the order-worker puts on the SQS email queue when an order is paid, and the email
 * Lambda renders and sends. The order id is the job's identity: a repeated job is the same email.
 * {@code seats}: a seated order's seats as a shopper reads them ("Stalls row A seat 3"), empty for units
 * (and for jobs queued before seats existed).
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
        String paymentId,
        List<String> seats) {

    public ConfirmationEmail {
        seats = seats == null ? List.of() : List.copyOf(seats);
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
