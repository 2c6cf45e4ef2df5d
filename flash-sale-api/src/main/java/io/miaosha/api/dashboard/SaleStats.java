package io.miaosha.api.dashboard;

import io.miaosha.api.catalog.SaleStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the admin dashboard shows of one sale at one instant. Units: {@code stock = unitsLeft +
 * unitsHeld + unitsSold} while the sale's hot state is consistent; {@code ordersAccepted} only ever
 * grows, so the dashboard derives purchases per second from its change between two readings. The
 * conversion is {@code admitted} (queue_admit.lua's count) → {@code ordersAccepted} → {@code unitsSold}.
 */
@RegisterForReflection
public record SaleStats(
        long saleId,
        String title,
        SaleStatus status,
        int stock,
        long unitsLeft,
        long unitsHeld,
        long unitsSold,
        long ordersAccepted,
        @Schema(description = "Shoppers let in by the waiting room so far (a shopper let in again after its window ended counts again); 0 for a sale without one")
        long admitted,
        List<LatestOrder> latestOrders,
        Instant at) {

    /** One of the latest orders written to MySQL (the order-worker persists them within moments). */
    @RegisterForReflection
    public record LatestOrder(String id, long userId, int quantity, long totalMinor, String currency, String status,
            Instant createdAt) {
    }
}
