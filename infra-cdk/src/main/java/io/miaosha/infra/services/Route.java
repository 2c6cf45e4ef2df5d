package io.miaosha.infra.services;

import java.util.List;

/**
 * Which paths reach which target group, in the order the ALB listener evaluates them (lower
 * priority first). The hot group must come before the general catch-all, otherwise a purchase
 * storm would land on the instances that serve login and checkout.
 */
public enum Route {
    /** Purchase, seat pick, hold and payment: the paths a sale's crowd hammers. */
    HOT(10, List.of("/api/sales/*/purchase", "/api/sales/*/seats/pick", "/api/sales/*/holds", "/api/sales/*/holds/*",
            "/api/orders/*/pay")),
    /** The waiting room's WebSockets. */
    GATEWAY(20, List.of("/ws/*")),
    /** Everything else of flash-sale-api: accounts, catalog, admin, my orders. */
    GENERAL(30, List.of("/api/*"));

    private final int priority;
    private final List<String> pathPatterns;

    Route(int priority, List<String> pathPatterns) {
        this.priority = priority;
        this.pathPatterns = pathPatterns;
    }

    public int priority() {
        return priority;
    }

    /** At most five per listener rule condition (an ALB limit). */
    public List<String> pathPatterns() {
        return pathPatterns;
    }
}
