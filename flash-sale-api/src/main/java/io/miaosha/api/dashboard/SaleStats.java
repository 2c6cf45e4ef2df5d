package io.miaosha.api.dashboard;

import io.miaosha.api.catalog.SaleStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * What the admin dashboard shows of one sale at one instant. Units: {@code stock = unitsLeft +
 * unitsHeld + unitsSold} while the sale's hot state is consistent; {@code ordersAccepted} only ever
 * grows, so the dashboard derives purchases per second from its change between two readings.
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
        List<LatestOrder> latestOrders,
        Instant at) {

    /** One of the latest orders written to MySQL (the order-worker persists them within moments). */
    @RegisterForReflection
    public record LatestOrder(String id, long userId, int quantity, long totalMinor, String currency, String status,
            Instant createdAt) {
    }
}
