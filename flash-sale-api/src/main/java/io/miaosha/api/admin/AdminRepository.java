package io.miaosha.api.admin;

import static io.miaosha.api.catalog.SaleRepository.utc;

import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mysqlclient.MySQLException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes of the admin console: products and sale terms, always on the writer. */
@ApplicationScoped
public class AdminRepository {

    private static final int DUPLICATE_KEY = 1062;

    private final Pool writer;

    public AdminRepository(Pool writer) {
        this.writer = writer;
    }

    public Pool writer() {
        return writer;
    }

    public Uni<Long> insertProduct(ProductRequest product) {
        return writer.preparedQuery("INSERT INTO products (sku, name, description, image_url) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(product.sku(), product.name(),
                        product.description() == null ? "" : product.description(), product.imageUrl()))
                .map(rows -> (Long) rows.property(MySQLClient.LAST_INSERTED_ID))
                .onFailure(e -> e instanceof MySQLException m && m.getErrorCode() == DUPLICATE_KEY)
                .transform(e -> new Problems.SaleChangeRejected("A product with SKU " + product.sku() + " already exists."));
    }

    /** Replaces a product's fields; false when there is no such product. */
    public Uni<Boolean> updateProduct(long productId, ProductRequest product) {
        return writer.preparedQuery("UPDATE products SET sku = ?, name = ?, description = ?, image_url = ? WHERE id = ?")
                .execute(Tuple.of(product.sku(), product.name(),
                        product.description() == null ? "" : product.description(), product.imageUrl(), productId))
                .map(rows -> rows.rowCount() > 0)
                .onFailure(e -> e instanceof MySQLException m && m.getErrorCode() == DUPLICATE_KEY)
                .transform(e -> new Problems.SaleChangeRejected("A product with SKU " + product.sku() + " already exists."));
    }

    public Uni<List<Map<String, Object>>> listProducts() {
        return writer.query("SELECT id, sku, name, description, image_url FROM products ORDER BY id").execute()
                .map(rows -> {
                    List<Map<String, Object>> products = new ArrayList<>();
                    rows.forEach(row -> products.add(Map.of("id", row.getLong(0), "sku", row.getString(1),
                            "name", row.getString(2), "description", row.getString(3),
                            "imageUrl", row.getString(4) == null ? "" : row.getString(4))));
                    return products;
                });
    }

    public Uni<Boolean> productExists(long productId) {
        return writer.preparedQuery("SELECT 1 FROM products WHERE id = ?").execute(Tuple.of(productId))
                .map(rows -> rows.size() > 0);
    }

    public Uni<Long> insertSale(SaleTerms t) {
        return writer.preparedQuery("""
                        INSERT INTO sales (product_id, title, price_minor, currency, stock, opens_at, closes_at,
                                           per_user_limit, queue_capacity, window_seconds, hold_seconds, queue_enabled,
                                           verified_email_only)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .execute(Tuple.from(List.of(t.productId(), t.title(), t.priceMinor(), t.currency(), t.stock(),
                        utc(t.opensAt()), utc(t.closesAt()), t.perUserLimit(), t.queueCapacity(),
                        t.windowOrDefault(), t.holdOrDefault(), t.queueEnabledOrDefault(), t.verifiedEmailOnlyOrDefault())))
                .map(rows -> (Long) rows.property(MySQLClient.LAST_INSERTED_ID));
    }

    public Uni<Void> updateSale(SqlClient tx, long saleId, SaleTerms t) {
        return tx.preparedQuery("""
                        UPDATE sales SET product_id = ?, title = ?, price_minor = ?, currency = ?, stock = ?,
                               opens_at = ?, closes_at = ?, per_user_limit = ?, queue_capacity = ?,
                               window_seconds = ?, hold_seconds = ?, queue_enabled = ?, verified_email_only = ?
                        WHERE id = ?""")
                .execute(Tuple.from(List.of(t.productId(), t.title(), t.priceMinor(), t.currency(), t.stock(),
                        utc(t.opensAt()), utc(t.closesAt()), t.perUserLimit(), t.queueCapacity(),
                        t.windowOrDefault(), t.holdOrDefault(), t.queueEnabledOrDefault(), t.verifiedEmailOnlyOrDefault(),
                        saleId)))
                .replaceWithVoid();
    }

    public Uni<Void> cancelSale(long saleId) {
        return writer.preparedQuery("UPDATE sales SET cancelled = TRUE WHERE id = ?").execute(Tuple.of(saleId))
                .replaceWithVoid();
    }
}
