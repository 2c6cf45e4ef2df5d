package io.miaosha.api.seating;

import io.miaosha.api.admin.SaleTerms;
import java.time.Instant;
import java.util.Map;

/**
 * A seated sale as an admin submits it: the terms of any sale, except that the stock is the venue's
 * seats, the price each area's ({@code areaPrices}: area name to minor units, one for every area) and
 * the per-user limit a seat limit ({@code seatLimit}, 4 unless given).
 */
public record SeatedSaleTerms(Long productId, String title, String currency, Instant opensAt, Instant closesAt,
        Map<String, Long> areaPrices, Integer seatLimit, Integer queueCapacity, Integer windowSeconds,
        Integer holdSeconds, Boolean queueEnabled) {

    public static final int DEFAULT_SEAT_LIMIT = 4;

    /** The sale row's terms: stock = seats, price = the cheapest area's (the catalog's "from"). */
    SaleTerms saleTerms(int seatCount, long cheapest) {
        return new SaleTerms(productId, title, cheapest, currency, seatCount, opensAt, closesAt,
                seatLimit == null ? DEFAULT_SEAT_LIMIT : seatLimit, queueCapacity == null ? 1000 : queueCapacity,
                windowSeconds, holdSeconds, queueEnabled, null);
    }
}
