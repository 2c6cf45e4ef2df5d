package io.miaosha.api.catalog;

import java.time.Instant;

/** A sale as recorded in MySQL: the terms of one drop of one product; {@code updatedAt} versions them. */
public record Sale(
        long id,
        long productId,
        String productName,
        String productDescription,
        String productImageUrl,
        String title,
        long priceMinor,
        String currency,
        int stock,
        Instant opensAt,
        Instant closesAt,
        int perUserLimit,
        int queueCapacity,
        boolean queueEnabled,
        int windowSeconds,
        int holdSeconds,
        boolean cancelled,
        Instant armedAt,
        Instant updatedAt,
        boolean verifiedEmailOnly,
        Long venueId) {

    public Sale {
        if (opensAt == null || closesAt == null) {
            throw new IllegalArgumentException("opens_at or closes_at is not a valid date");
        }
        if (title == null || currency == null) {
            throw new IllegalArgumentException("title or currency is missing");
        }
    }

    /** A sale on a venue sells seats picked from its layout; one without sells interchangeable units. */
    public boolean seated() {
        return venueId != null;
    }

    public boolean isLiveAt(Instant now) {
        return !now.isBefore(opensAt) && now.isBefore(closesAt);
    }

    public SaleStatus statusAt(Instant now, long unitsLeft) {
        if (cancelled) {
            return SaleStatus.CANCELLED;
        }
        if (!now.isBefore(closesAt)) {
            return SaleStatus.ENDED;
        }
        if (now.isBefore(opensAt)) {
            return SaleStatus.UPCOMING;
        }
        return unitsLeft <= 0 ? SaleStatus.SOLD_OUT : SaleStatus.LIVE;
    }
}
