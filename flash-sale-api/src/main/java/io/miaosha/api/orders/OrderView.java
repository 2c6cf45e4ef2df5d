package io.miaosha.api.orders;

import io.miaosha.common.order.OrderIds;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An order as its owner sees it, named by its sale and product (null only if the sale row is gone), with its seats. */
public record OrderView(
        String id,
        @Schema(description = "The short code a person reads out, e.g. \"2E3F-4A5B\": the id's last 8 hex digits, as in the confirmation email") String shortCode,
        long saleId,
        long userId,
        int quantity,
        long unitPriceMinor,
        long totalMinor,
        String currency,
        String status,
        Instant payBy,
        Instant createdAt,
        @Schema(nullable = true) String saleTitle,
        @Schema(nullable = true) String productName,
        @Schema(nullable = true) String productImageUrl,
        @Schema(description = "A seated order's seats, e.g. \"Stalls row A seat 3\"; empty for units") List<String> seats,
        @Schema(description = "Each seat with its own price, in the order of seats (a pick across areas has"
                + " an averaged unitPriceMinor); empty for units") List<SeatPrice> seatPrices) {

    /** The view of an order row: its short code is its id's. */
    public OrderView(String id, long saleId, long userId, int quantity, long unitPriceMinor, long totalMinor, String currency,
            String status, Instant payBy, Instant createdAt, String saleTitle, String productName, String productImageUrl,
            List<String> seats, List<SeatPrice> seatPrices) {
        this(id, OrderIds.shortCode(id), saleId, userId, quantity, unitPriceMinor, totalMinor, currency, status, payBy, createdAt,
                saleTitle, productName, productImageUrl, seats, seatPrices);
    }

    /** One seat of the order and the price it was sold at. */
    public record SeatPrice(String seat, long priceMinor) {
    }
}
