package io.miaosha.api.admin;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.catalog.CatalogService;
import io.miaosha.api.catalog.Sale;
import io.miaosha.api.catalog.SaleRepository;
import io.miaosha.api.catalog.SaleView;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.seating.SaleSeatings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Objects;

/**
 * Creating and changing sales. Rules that protect shoppers: no price change once a sale is live,
 * no stock cut below what is already held or sold, nothing changes on a cancelled or ended sale.
 * Each answer is read from the writer: the change must show in it even while the replica lags.
 */
@ApplicationScoped
public class AdminSaleService {

    private final AdminRepository admin;
    private final SaleRepository sales;
    private final SaleArmer armer;
    private final CatalogService catalog;
    private final SaleSeatings seatings;

    public AdminSaleService(AdminRepository admin, SaleRepository sales, SaleArmer armer, CatalogService catalog,
            SaleSeatings seatings) {
        this.seatings = seatings;
        this.admin = admin;
        this.sales = sales;
        this.armer = armer;
        this.catalog = catalog;
    }

    public Uni<SaleView> create(SaleTerms terms) {
        terms.checked();
        return requireProduct(terms.productId())
                .chain(() -> admin.insertSale(terms))
                .chain(catalog::saleOnWriter);
    }

    public Uni<SaleView> update(long saleId, SaleTerms terms) {
        terms.checked();
        // A seated sale's stock is its venue's seats and its prices are per area: these terms cannot say that.
        return seatings.of(saleId)
                .onFailure(Problems.NotFound.class).recoverWithItem(java.util.Optional.empty())
                .invoke(seating -> {
                    if (seating.isPresent()) {
                        throw new Problems.SaleChangeRejected("Sale " + saleId + " is seated: its stock and prices follow"
                                + " its venue and area prices, which do not change.");
                    }
                })
                .chain(() -> requireProduct(terms.productId()))
                .chain(() -> admin.writer().withTransaction(tx -> sales.findForUpdate(tx, saleId)
                        .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", saleId))
                        .invoke(current -> checkChangeAllowed(current, terms))
                        .chain(current -> adjustArmedStock(current, terms)
                                .chain(() -> admin.updateSale(tx, saleId, terms)))))
                .chain(() -> sales.findOnWriter(saleId))
                .call(sale -> sale.armedAt() != null ? armer.arm(sale) : Uni.createFrom().nullItem())
                .chain(sale -> catalog.saleOnWriter(saleId));
    }

    public Uni<SaleView> cancel(long saleId) {
        return sales.findOnWriter(saleId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Sale", saleId))
                .invoke(sale -> {
                    if (!Instant.now().isBefore(sale.closesAt())) {
                        throw new Problems.SaleChangeRejected("The sale has ended; there is nothing to cancel.");
                    }
                })
                .call(() -> admin.cancelSale(saleId))
                .chain(() -> armer.armById(saleId))
                .chain(() -> catalog.saleOnWriter(saleId));
    }

    public Uni<SaleView> arm(long saleId) {
        return armer.armById(saleId).chain(() -> catalog.saleOnWriter(saleId));
    }

    private Uni<Void> requireProduct(long productId) {
        return admin.productExists(productId).invoke(exists -> {
            if (!exists) {
                throw new Problems.InvalidRequest("productId " + productId + " does not exist");
            }
        }).replaceWithVoid();
    }

    private static void checkChangeAllowed(Sale current, SaleTerms terms) {
        Instant now = Instant.now();
        if (current.cancelled()) {
            throw new Problems.SaleChangeRejected("The sale is cancelled; it cannot be changed.");
        }
        if (!now.isBefore(current.closesAt())) {
            throw new Problems.SaleChangeRejected("The sale has ended; it cannot be changed.");
        }
        boolean live = !now.isBefore(current.opensAt());
        if (live && (current.priceMinor() != terms.priceMinor() || !Objects.equals(current.currency(), terms.currency()))) {
            throw new Problems.SaleChangeRejected("The price cannot change once the sale is live.");
        }
        if (live && current.productId() != terms.productId()) {
            throw new Problems.SaleChangeRejected("The product cannot change once the sale is live.");
        }
        if (live && !current.opensAt().equals(terms.opensAt())) {
            throw new Problems.SaleChangeRejected("The opening time cannot change once the sale is live.");
        }
        // Shoppers already queued or holding units were let in under the old rule: it stays theirs.
        if (live && current.verifiedEmailOnly() != terms.verifiedEmailOnlyOrDefault()) {
            throw new Problems.SaleChangeRejected("Whether the sale is for verified email accounts only cannot change once"
                    + " the sale is live.");
        }
    }

    /** Redis holds the truth about units sold, so the stock check runs there, atomically. */
    private Uni<Void> adjustArmedStock(Sale current, SaleTerms terms) {
        if (current.stock() == terms.stock()) {
            return Uni.createFrom().voidItem();
        }
        return armer.adjustStock(current.id(), terms.stock())
                .chain(armed -> armed ? Uni.createFrom().voidItem()
                        : sales.unitsCommitted(current.id()).invoke(committed -> {
                            if (terms.stock() < committed) {
                                throw new Problems.SaleChangeRejected("Stock cannot go below the " + Problems.units(committed)
                                        + " already held or sold.");
                            }
                        }).replaceWithVoid());
    }
}
