package io.miaosha.api.seating;

import static io.miaosha.api.catalog.SaleRepository.utc;

import io.miaosha.api.admin.AdminRepository;
import io.miaosha.api.admin.SaleTerms;
import io.miaosha.api.catalog.CatalogService;
import io.miaosha.api.catalog.SaleView;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.venue.VenueRepository;
import io.miaosha.api.venue.VenueView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates a sale on a venue: the sale row (with the rules of every sale) and one price per area, in
 * one transaction, after every check: a refused request writes nothing.
 */
@ApplicationScoped
public class SeatedSaleService {

    private static final long MAX_PRICE = 100_000_000_00L;

    private final VenueRepository venues;
    private final AdminRepository admin;
    private final CatalogService catalog;
    private final Validator validator;
    private final SeatingConfig config;

    public SeatedSaleService(VenueRepository venues, AdminRepository admin, CatalogService catalog, Validator validator,
            SeatingConfig config) {
        this.venues = venues;
        this.admin = admin;
        this.catalog = catalog;
        this.validator = validator;
        this.config = config;
    }

    public Uni<SaleView> create(long venueId, SeatedSaleTerms terms) {
        if (terms == null) {
            throw invalid("body", "must be the sale's terms with areaPrices");
        }
        if (terms.seatLimit() != null && (terms.seatLimit() < 1 || terms.seatLimit() > config.maxSeatLimit())) {
            throw invalid("seatLimit", "must be from 1 to " + config.maxSeatLimit());
        }
        return venues.find(venueId)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Venue", venueId))
                .chain(venue -> {
                    List<Long> prices = prices(venue, terms.areaPrices());
                    SaleTerms sale = terms.saleTerms(venue.seatCount(), prices.stream().mapToLong(Long::longValue).min().orElseThrow());
                    Set<ConstraintViolation<SaleTerms>> violations = validator.validate(sale);
                    if (!violations.isEmpty()) {
                        throw new ConstraintViolationException(violations);
                    }
                    sale.checked();
                    return admin.productExists(sale.productId())
                            .chain(exists -> {
                                if (!exists) {
                                    throw invalid("productId", sale.productId() + " does not exist");
                                }
                                return insert(venue, sale, prices);
                            });
                })
                .chain(catalog::saleOnWriter);
    }

    /** One price per area of the venue, in the venue's order; names every missing and unknown area. */
    private static List<Long> prices(VenueView venue, Map<String, Long> areaPrices) {
        if (areaPrices == null) {
            throw invalid("areaPrices", "is required: a price (minor units) for every area of the venue");
        }
        Set<String> unknown = new TreeSet<>(areaPrices.keySet());
        List<String> missing = new ArrayList<>();
        List<Long> prices = new ArrayList<>();
        for (VenueView.Area area : venue.areas()) {
            unknown.remove(area.name());
            Long price = areaPrices.get(area.name());
            if (price == null) {
                missing.add(area.name());
            } else if (price < 0 || price > MAX_PRICE) {
                throw invalid("areaPrices." + area.name(), "must be from 0 to " + MAX_PRICE);
            }
            prices.add(price);
        }
        if (!unknown.isEmpty()) {
            throw invalid("areaPrices", "names areas the venue does not have: " + String.join(", ", unknown));
        }
        if (!missing.isEmpty()) {
            throw invalid("areaPrices", "has no price for " + String.join(", ", missing));
        }
        return prices;
    }

    private Uni<Long> insert(VenueView venue, SaleTerms t, List<Long> prices) {
        return admin.writer().withTransaction(tx -> tx.preparedQuery("""
                                INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                                   per_user_limit, queue_capacity, window_seconds, hold_seconds, queue_enabled,
                                                   venue_id)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .execute(Tuple.from(List.of(t.productId(), t.title(), t.priceMinor(), t.currency(), t.stock(),
                        utc(t.opensAt()), utc(t.closesAt()), t.perUserLimit(), t.queueCapacity(),
                        t.windowOrDefault(), t.holdOrDefault(), t.queueEnabledOrDefault(), venue.id())))
                .map(rows -> (Long) rows.property(MySQLClient.LAST_INSERTED_ID))
                .call(saleId -> {
                    StringBuilder sql = new StringBuilder("INSERT INTO sale_area_prices (sale_id, area_id, price_minor) VALUES ");
                    List<Object> values = new ArrayList<>();
                    for (int i = 0; i < venue.areas().size(); i++) {
                        sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
                        values.add(saleId);
                        values.add(venue.areas().get(i).id());
                        values.add(prices.get(i));
                    }
                    return tx.preparedQuery(sql.toString()).execute(Tuple.from(values));
                }));
    }

    private static Problems.InvalidRequest invalid(String field, String message) {
        return new Problems.InvalidRequest(field + " " + message, List.of(Map.of("field", field, "message", message)));
    }
}
