package io.miaosha.api.arming;

import io.miaosha.api.catalog.Sale;
import java.time.Instant;
import java.util.List;

/**
 * What the arming endpoints answer: the sales that are live or open within the lookahead, so the
 * scheduled-start function knows whether the hot group must be up.
 */
public record ArmingReport(Instant checkedAt, int lookaheadMinutes, boolean armed, List<ArmedSale> sales) {

    public record ArmedSale(long id, String title, Instant opensAt, Instant closesAt, boolean live) {

        static ArmedSale of(Sale sale, Instant now) {
            return new ArmedSale(sale.id(), sale.title(), sale.opensAt(), sale.closesAt(), sale.isLiveAt(now));
        }
    }

    static ArmingReport of(List<Sale> sales, int lookaheadMinutes, boolean armed) {
        Instant now = Instant.now();
        return new ArmingReport(now, lookaheadMinutes, armed, sales.stream().map(sale -> ArmedSale.of(sale, now)).toList());
    }
}
