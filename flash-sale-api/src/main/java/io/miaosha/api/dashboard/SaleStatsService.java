package io.miaosha.api.dashboard;

import io.miaosha.api.catalog.Sale;
import io.miaosha.api.catalog.SaleHotState;
import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.problem.Problems;
import io.miaosha.common.queue.QueueKeys;
import io.miaosha.common.sale.TallyHoldsScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Live figures of one sale for the admin dashboard: units from Redis (the hot state the purchase
 * script keeps, and the tally the scripts keep beside it: three fields, whatever the number of
 * orders; the waiting room's count of admissions: one field), latest orders from MySQL.
 */
@ApplicationScoped
public class SaleStatsService {

    private static final int LATEST = 10;

    private final SaleRepository sales;
    private final SaleHotState hotState;
    private final TallyHoldsScript tally;
    private final ReactiveHashCommands<String, String, Long> admissions;
    private final Pool writer;

    public SaleStatsService(SaleRepository sales, SaleHotState hotState, ReactiveRedisDataSource redis, Pool writer) {
        this.sales = sales;
        this.hotState = hotState;
        this.tally = new TallyHoldsScript(redis);
        this.admissions = redis.hash(Long.class);
        this.writer = writer;
    }

    public Uni<SaleStats> stats(long saleId) {
        return sales.findOnWriter(saleId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", saleId))
                .chain(sale -> Uni.combine().all()
                        .unis(hotState.unitsLeft(sale), tally.run(saleId), admitted(saleId), latestOrders(saleId))
                        .with((left, tally, admitted, latest) -> of(sale, left, tally, admitted, latest)));
    }

    /** Admissions so far: one field queue_admit.lua counts up (none yet, or no waiting room: 0). */
    private Uni<Long> admitted(long saleId) {
        return admissions.hget(new QueueKeys(saleId).stats(), "admitted").map(count -> count == null ? 0L : count);
    }

    private static SaleStats of(Sale sale, long unitsLeft, TallyHoldsScript.Tally tally, long admitted,
            List<SaleStats.LatestOrder> latest) {
        Instant now = Instant.now();
        return new SaleStats(sale.id(), sale.title(), sale.statusAt(now, unitsLeft), sale.stock(), unitsLeft,
                tally.unitsHeld(), tally.unitsSold(), tally.orders(), admitted, latest, now);
    }

    private Uni<List<SaleStats.LatestOrder>> latestOrders(long saleId) {
        return writer.preparedQuery("""
                        SELECT id, user_id, quantity, total_minor, currency, status, created_at FROM orders
                        WHERE sale_id = ? ORDER BY created_at DESC, id DESC LIMIT ?""")
                .execute(Tuple.of(saleId, LATEST))
                .map(rows -> {
                    List<SaleStats.LatestOrder> orders = new ArrayList<>(rows.size());
                    rows.forEach(row -> orders.add(new SaleStats.LatestOrder(row.getString(0), row.getLong(1),
                            row.getInteger(2), row.getLong(3), row.getString(4), row.getString(5),
                            row.getLocalDateTime(6).toInstant(ZoneOffset.UTC))));
                    return orders;
                });
    }
}
