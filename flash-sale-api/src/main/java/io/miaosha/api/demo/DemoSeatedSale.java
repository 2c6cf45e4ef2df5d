package io.miaosha.api.demo;

import static io.miaosha.api.catalog.SaleRepository.utc;

import io.miaosha.api.arming.SaleArmer;
import io.miaosha.api.seating.SeatedSaleService;
import io.miaosha.api.seating.SeatedSaleTerms;
import io.miaosha.api.venue.VenueRepository;
import io.miaosha.api.venue.VenueRequest;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Seeds the demo seated sale next to the unit one: a 384-seat venue (Stalls, Circle, Balcony) and a
 * concert on it, 4 seats per shopper, no waiting room so a pick works straight from curl. Idempotent
 * like {@link DemoData}: created once per database, moved forward when it is no longer upcoming (a
 * venue never changes, so the sale keeps its venue and seats).
 */
@ApplicationScoped
public class DemoSeatedSale {

    static final String PRODUCT_SKU = "demo-concert";
    static final String VENUE_NAME = "Miaosha Arena (demo)";
    static final String SALE_TITLE = "Demo concert: Miaosha Live";

    private final Pool writer;
    private final VenueRepository venues;
    private final SeatedSaleService seatedSales;
    private final SaleArmer armer;
    private final DemoConfig config;

    public DemoSeatedSale(Pool writer, VenueRepository venues, SeatedSaleService seatedSales, SaleArmer armer, DemoConfig config) {
        this.writer = writer;
        this.venues = venues;
        this.seatedSales = seatedSales;
        this.armer = armer;
        this.config = config;
    }

    /**
     * Called by {@link DemoData} once the unit demo sale exists, so that sale keeps the first id (the
     * README and the checks queue for sale 1); a failure is logged, never failing the unit demo.
     */
    Uni<Void> seed() {
        Instant opensAt = Instant.now().plus(config.opensIn()).truncatedTo(ChronoUnit.SECONDS);
        Instant closesAt = opensAt.plus(config.lasts());
        return writer.preparedQuery("INSERT IGNORE INTO products (sku, name, description, image_url) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(PRODUCT_SKU, "Miaosha Live", "One night, 384 seats. Four per shopper.", "/img/runner.svg"))
                .chain(() -> existingSale())
                .chain(saleId -> saleId != null ? reschedule(saleId, opensAt, closesAt).replaceWith(saleId) : create(opensAt, closesAt))
                .chain(armer::armById)
                .invoke(sale -> Log.infof("demo seated sale %d opens at %s", sale.id(), sale.opensAt()))
                .onFailure().invoke(failure -> Log.error("seeding the demo seated sale failed", failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Long> existingSale() {
        return writer.preparedQuery("SELECT s.id FROM sales s JOIN products p ON p.id = s.product_id WHERE p.sku = ?")
                .execute(Tuple.of(PRODUCT_SKU))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null);
    }

    private Uni<Long> create(Instant opensAt, Instant closesAt) {
        VenueRequest arena = new VenueRequest(VENUE_NAME, List.of(
                new VenueRequest.AreaSpec("Stalls", "A", 10, 20),
                new VenueRequest.AreaSpec("Circle", "B", 6, 20),
                new VenueRequest.AreaSpec("Balcony", "C", 4, 16)), null);
        return venues.insert(arena.layout())
                .chain(venueId -> writer.preparedQuery("SELECT id FROM products WHERE sku = ?").execute(Tuple.of(PRODUCT_SKU))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .chain(productId -> seatedSales.create(venueId, new SeatedSaleTerms(productId, SALE_TITLE, "EUR", opensAt,
                                closesAt, Map.of("Stalls", 8900L, "Circle", 6500L, "Balcony", 3900L), 4, 50, 600, 300, false))))
                .map(view -> view.id());
    }

    private Uni<Void> reschedule(long saleId, Instant opensAt, Instant closesAt) {
        return writer.preparedQuery("""
                        UPDATE sales SET opens_at = ?, closes_at = ?, cancelled = FALSE
                        WHERE id = ? AND (opens_at <= ? OR cancelled)""")
                .execute(Tuple.of(utc(opensAt), utc(closesAt), saleId, utc(Instant.now().plusSeconds(30))))
                .replaceWithVoid();
    }
}
