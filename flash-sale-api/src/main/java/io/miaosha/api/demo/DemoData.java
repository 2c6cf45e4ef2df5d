package io.miaosha.api.demo;

import static io.miaosha.api.catalog.SaleRepository.utc;

import io.miaosha.api.account.Role;
import io.miaosha.api.arming.SaleArmer;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Seeds what a newcomer needs to try the system: a shopper and an admin, one product and one sale
 * that opens shortly after startup. Idempotent: accounts and product are inserted once, and the one
 * demo sale is rescheduled (not duplicated) when a run starts after it went live.
 */
@ApplicationScoped
public class DemoData {

    public static final String SHOPPER_EMAIL = "demo@test.com";
    public static final String SHOPPER_PASSWORD = "demodemo";
    public static final String ADMIN_EMAIL = "admin@test.com";
    public static final String ADMIN_PASSWORD = "adminadmin";
    static final String PRODUCT_SKU = "demo-sneaker";
    static final String SALE_TITLE = "Demo drop: Miaosha Runner 1";

    private final Pool writer;
    private final SaleArmer armer;
    private final DemoConfig config;
    private final DemoSeatedSale seatedSale;

    public DemoData(Pool writer, SaleArmer armer, DemoConfig config, DemoSeatedSale seatedSale) {
        this.writer = writer;
        this.armer = armer;
        this.config = config;
        this.seatedSale = seatedSale;
    }

    void seed(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        Instant opensAt = Instant.now().plus(config.opensIn()).truncatedTo(ChronoUnit.SECONDS);
        seedAccount(SHOPPER_EMAIL, SHOPPER_PASSWORD, Role.SHOPPER)
                .chain(() -> seedAccount(ADMIN_EMAIL, ADMIN_PASSWORD, Role.ADMIN))
                .chain(() -> writer.preparedQuery("INSERT IGNORE INTO products (sku, name, description, image_url) VALUES (?, ?, ?, ?)")
                        .execute(Tuple.of(PRODUCT_SKU, "Miaosha Runner 1",
                                "A limited run of 100 pairs. Two per shopper.", "/img/runner.svg")))
                .chain(() -> seedSale(opensAt, opensAt.plus(config.lasts())))
                .chain(() -> writer.preparedQuery("SELECT s.id FROM sales s JOIN products p ON p.id = s.product_id WHERE p.sku = ?")
                        .execute(Tuple.of(PRODUCT_SKU)))
                .chain(rows -> armer.armById(rows.iterator().next().getLong(0)))
                .call(sale -> seatedSale.seed())
                .subscribe().with(
                        sale -> Log.infof("demo sale %d opens at %s", sale.id(), sale.opensAt()),
                        failure -> Log.error("seeding demo data failed", failure));
    }

    private Uni<Void> seedAccount(String email, String password, String role) {
        return Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, 10))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                // The demo accounts' addresses are made up: no link could reach them, so they start confirmed.
                .chain(hash -> writer.preparedQuery("INSERT IGNORE INTO users (email, password_hash, role, created_at, email_verified_at)"
                                + " VALUES (?, ?, ?, ?, ?)")
                        .execute(Tuple.of(email, hash, role, utc(Instant.now()), utc(Instant.now()))))
                .replaceWithVoid();
    }

    /** One demo sale per database: created once, moved forward when it is no longer upcoming. */
    private Uni<Void> seedSale(Instant opensAt, Instant closesAt) {
        return writer.preparedQuery("""
                        INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                           per_user_limit, queue_capacity, window_seconds, hold_seconds, queue_enabled)
                        SELECT p.id, ?, 12900, 'EUR', 100, ?, ?, 2, 50, 600, 300, TRUE FROM products p
                        WHERE p.sku = ? AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.product_id = p.id)""")
                .execute(Tuple.from(List.of(SALE_TITLE, utc(opensAt), utc(closesAt), PRODUCT_SKU)))
                .chain(() -> writer.preparedQuery("""
                                UPDATE sales s JOIN products p ON p.id = s.product_id
                                SET s.opens_at = ?, s.closes_at = ?, s.cancelled = FALSE, s.queue_enabled = TRUE
                                WHERE p.sku = ? AND (s.opens_at <= ? OR s.cancelled OR NOT s.queue_enabled)""")
                        .execute(Tuple.of(utc(opensAt), utc(closesAt), PRODUCT_SKU, utc(Instant.now().plus(Duration.ofSeconds(30))))))
                .replaceWithVoid();
    }
}
