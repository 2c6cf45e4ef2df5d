package io.miaosha.worker.orders;

import io.miaosha.common.order.OrderPlaced;
import io.miaosha.common.outage.Outages;
import io.miaosha.common.sale.AdoptOrdersScript;
import io.miaosha.worker.messaging.RetryConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Gives each order of a batch that its sale's hot state has no hold for one (adopt_orders.lua): orders
 * that were still in RabbitMQ when Redis lost the sale. It runs as soon as a batch is formed, before
 * the MySQL write, because a sale being rebuilt waits only until the broker's queues are empty: the
 * messages a worker holds unacknowledged are invisible to that wait, so the worker itself notes them
 * for the rebuild (the sale is still recovering) within moments of their delivery, well inside the
 * rebuild's quiet period. In the usual case every order has its hold (the purchase wrote it) and
 * nothing changes: one script call per sale and batch. An order adopted into a sale that is no longer
 * recovering takes its units from the stock; a unit adopted beyond the stock left was sold twice,
 * which is logged as an error, never hidden. A hold adopted for an order MySQL then refuses (parked)
 * expires at its pay-by like any unpaid hold. A seat pick's order holds its seats again (or, noted
 * for a recovery under way, brings them to the rebuild).
 */
@ApplicationScoped
public class OrderAdoption {

    /** Orders of one script call: keeps one call's arguments (nine per order) small. */
    private static final int CHUNK = 200;

    private final AdoptOrdersScript script;
    private final OrderWriterConfig config;
    private final RetryConfig retry;

    public OrderAdoption(ReactiveRedisDataSource redis, OrderWriterConfig config, RetryConfig retry) {
        this.script = new AdoptOrdersScript(redis);
        this.config = config;
        this.retry = retry;
    }

    /** Waits out a Redis outage (the orders stay unacknowledged meanwhile); other failures are logged, never fail the batch. */
    public Uni<Void> adopt(List<OrderPlaced> orders) {
        Map<Long, List<OrderPlaced>> bySale = orders.stream().collect(Collectors.groupingBy(OrderPlaced::saleId));
        return Multi.createFrom().iterable(bySale.entrySet())
                .onItem().transformToIterable(sale -> chunks(sale.getValue()))
                .onItem().transformToUniAndConcatenate(this::adoptChunk)
                .collect().last()
                .replaceWithVoid();
    }

    private static List<List<OrderPlaced>> chunks(List<OrderPlaced> orders) {
        List<List<OrderPlaced>> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < orders.size(); i += CHUNK) {
            chunks.add(orders.subList(i, Math.min(orders.size(), i + CHUNK)));
        }
        return chunks;
    }

    private Uni<Void> adoptChunk(List<OrderPlaced> orders) {
        long saleId = orders.getFirst().saleId();
        return Uni.createFrom().deferred(() -> script.run(saleId, config.idempotencyTtl().toSeconds(), orders))
                .onFailure(Outages::isOutage).retry()
                .withBackOff(Duration.ofMillis(50), retry.outageMaxBackOff()).indefinitely()
                .invoke(result -> {
                    if (result.oversoldUnits() > 0) {
                        Log.errorf("OVERSOLD: sale %d: %d units of orders that reached the worker after its recovery were"
                                + " sold again meanwhile; the stock went below zero", saleId, result.oversoldUnits());
                    } else if (result.adopted() > 0 || result.late() > 0) {
                        Log.infof("sale %d: adopted %d orders whose holds Redis lost, %d noted for the recovery under way", saleId, result.adopted(), result.late());
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("could not check the holds of %d orders of sale %d: %s", orders.size(), saleId,
                            failure.getMessage());
                    return null;
                })
                .replaceWithVoid();
    }
}
