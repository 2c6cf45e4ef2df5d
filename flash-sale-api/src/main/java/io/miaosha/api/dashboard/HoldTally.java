package io.miaosha.api.dashboard;

import java.util.Map;

/**
 * Sums the holds hash of a sale (order id to "userId|quantity|payByMs|STATUS", written by the
 * purchase script) into units still held and units paid for. Expired or released holds gave their
 * units back to stock and count as neither.
 */
record HoldTally(long unitsHeld, long unitsSold, long orders) {

    static HoldTally of(Map<String, String> holds) {
        long held = 0;
        long sold = 0;
        for (String value : holds.values()) {
            String[] parts = value.split("\\|");
            if (parts.length < 4) {
                continue;
            }
            long quantity = Long.parseLong(parts[1]);
            switch (parts[3]) {
                case "PENDING" -> held += quantity;
                case "PAID" -> sold += quantity;
                default -> {
                }
            }
        }
        return new HoldTally(held, sold, holds.size());
    }
}
