package io.miaosha.api.catalog;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Units left of a sale that has no hot state in Redis, from what MySQL records as held or paid.
 * Storefronts list ended sales for a day, so each figure is kept a short while instead of being
 * summed on every listing; a retired sale's figure never changes again.
 */
@ApplicationScoped
public class SettledUnits {

    private static final long KEEP_MS = 30_000;
    private static final int MAX_SALES = 1_000;

    private record Figure(long unitsLeft, long atMs) {
    }

    private final SaleRepository sales;
    private final Map<Long, Figure> figures = new ConcurrentHashMap<>();

    public SettledUnits(SaleRepository sales) {
        this.sales = sales;
    }

    public Uni<Long> unitsLeft(Sale sale) {
        long now = System.currentTimeMillis();
        Figure known = figures.get(sale.id());
        if (known != null && now - known.atMs() < KEEP_MS) {
            return Uni.createFrom().item(known.unitsLeft());
        }
        return sales.unitsCommitted(sale.id()).map(committed -> {
            long left = Math.max(0, sale.stock() - committed);
            if (figures.size() >= MAX_SALES) {
                figures.clear();
            }
            figures.put(sale.id(), new Figure(left, now));
            return left;
        });
    }
}
