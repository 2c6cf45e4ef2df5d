package io.miaosha.api.seating;

import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an accepted seat pick: the order holding the seats, its total and pay-by time. */
public record SeatPickReceipt(String orderId,
        @Schema(description = "The short code a person reads out, e.g. \"2E3F-4A5B\": the id's last 8 hex digits, as in the confirmation email") String shortCode,
        long saleId, OrderStatus status, int quantity, Instant payBy, long amountMinor, String currency, List<SeatView> seats) {

    public SeatPickReceipt(String orderId, long saleId, OrderStatus status, int quantity, Instant payBy, long amountMinor,
            String currency, List<SeatView> seats) {
        this(orderId, OrderIds.shortCode(orderId), saleId, status, quantity, payBy, amountMinor, currency, seats);
    }
}
