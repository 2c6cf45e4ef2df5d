package io.miaosha.api.orders;

import java.time.Instant;

/** An order as its owner sees it. */
public record OrderView(
        String id,
        long saleId,
        long userId,
        int quantity,
        long unitPriceMinor,
        long totalMinor,
        String currency,
        String status,
        Instant payBy,
        Instant createdAt) {
}
