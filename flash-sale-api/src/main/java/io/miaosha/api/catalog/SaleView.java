package io.miaosha.api.catalog;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A sale as the catalog shows it, with its live status and units left; {@code drawEntriesOpenAt}: when
 * shoppers may start to enter its pre-opening draw (null without a waiting room).
 */
public record SaleView(
        long id,
        String title,
        Product product,
        Price price,
        int stock,
        long unitsLeft,
        SaleStatus status,
        Instant opensAt,
        Instant closesAt,
        int perUserLimit,
        int queueCapacity,
        boolean queueEnabled,
        int windowSeconds,
        int holdSeconds,
        // Text, not an Instant: the OpenAPI schema of an Instant is a reference that cannot be made nullable.
        @Schema(nullable = true, format = "date-time",
                description = "When entries to the pre-opening draw open (a set time before opening); null without a waiting room")
        String drawEntriesOpenAt,
        @Schema(description = "Only accounts with a confirmed email may join and buy")
        boolean verifiedEmailOnly,
        // The sale page asks for a layout only when this is true: a unit sale has none (409 not-seated).
        @Schema(required = true, description = "Sold as seats picked from a venue's layout (GET /api/sales/{id}/seats); false: interchangeable units")
        boolean seated) {

    public record Product(long id, String name, String description, @Schema(nullable = true) String imageUrl) {
    }

    public record Price(long amountMinor, String currency) {
    }

    public static SaleView of(Sale sale, long unitsLeft, Instant now, Instant drawEntriesOpenAt) {
        return new SaleView(sale.id(), sale.title(),
                new Product(sale.productId(), sale.productName(), sale.productDescription(), sale.productImageUrl()),
                new Price(sale.priceMinor(), sale.currency()),
                sale.stock(), unitsLeft, sale.statusAt(now, unitsLeft), sale.opensAt(), sale.closesAt(),
                sale.perUserLimit(), sale.queueCapacity(), sale.queueEnabled(), sale.windowSeconds(), sale.holdSeconds(),
                sale.queueEnabled() ? drawEntriesOpenAt.toString() : null, sale.verifiedEmailOnly(), sale.seated());
    }
}
