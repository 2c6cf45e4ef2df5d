package io.miaosha.api.catalog;

import io.miaosha.api.draw.DrawConfig;
import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The public catalog: sales with their live status. The listing is memoised briefly (see CatalogConfig). */
@ApplicationScoped
public class CatalogService {

    private final SaleRepository sales;
    private final SaleHotState hotState;
    private final DrawConfig draw;
    private final Uni<List<SaleView>> memoisedListing;

    public CatalogService(SaleRepository sales, SaleHotState hotState, CatalogConfig config, DrawConfig draw) {
        this.sales = sales;
        this.hotState = hotState;
        this.draw = draw;
        this.memoisedListing = Uni.createFrom().deferred(this::loadListing)
                .memoize().atLeast(config.localCacheTtl());
    }

    public Uni<List<SaleView>> listSales() {
        return memoisedListing;
    }

    public Uni<SaleView> sale(long id) {
        return sales.find(id)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", id))
                .chain(this::view);
    }

    /**
     * One sale as the writer has it, for the answer to an admin's change: the replica may not have
     * the sale just created or changed yet (a lagging replica would answer 404 for a sale that exists).
     */
    public Uni<SaleView> saleOnWriter(long id) {
        return sales.findOnWriter(id)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", id))
                .chain(this::view);
    }

    private Uni<List<SaleView>> loadListing() {
        return sales.listCurrent(Instant.now())
                .chain(list -> Multi.createFrom().iterable(list).onItem().transformToUniAndConcatenate(this::view)
                        .collect().asList());
    }

    private Uni<SaleView> view(Sale sale) {
        return hotState.unitsLeft(sale).map(left -> SaleView.of(sale, left, Instant.now(), draw.entriesOpenAt(sale.opensAt())));
    }
}
