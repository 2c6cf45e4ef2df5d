package io.miaosha.api.purchase;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/** Counts purchase outcomes; counters are made once, so counting costs no lookup on the hot path. */
@ApplicationScoped
public class PurchaseMetrics {

    private final Map<PurchaseOutcome, Counter> counters = new EnumMap<>(PurchaseOutcome.class);

    public PurchaseMetrics(MeterRegistry registry) {
        for (PurchaseOutcome outcome : PurchaseOutcome.values()) {
            counters.put(outcome, Counter.builder("miaosha.purchase.outcomes")
                    .description("Purchase attempts by outcome")
                    .tag("outcome", outcome.name().toLowerCase())
                    .register(registry));
        }
    }

    public void count(PurchaseOutcome outcome) {
        counters.get(outcome).increment();
    }
}
