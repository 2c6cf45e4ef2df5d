package io.miaosha.api.testing;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fingerprint of everything the API could have written: the live checksum (and, in a full
 * fingerprint, the row count) of every table of the test database, and the number of Redis keys plus
 * a digest of their contents. Equal fingerprints before and after a refused request mean it wrote
 * nothing.
 */
@ApplicationScoped
public class StoreDigest {

    /**
     * The number of keys without a time to live, and one SHA-1 over the sorted such keys chosen, each
     * with the SHA-1 of its DUMP (content, not TTL): every key when ARGV is empty, else the keys under
     * the sale hash tags in ARGV plus every key outside a sale's tag (the global sets). One round trip;
     * KEYS over the whole keyspace is fine for a test database on a standalone Redis, which is what the
     * tests run on.
     */
    private static final String REDIS_DIGEST = """
            -- Keys with a time to live (throttle windows, markers, session revocations) expire on
            -- their own while a request runs, so only keys without one are counted and digested.
            local function lasting(list)
              local kept = {}
              for _, key in ipairs(list) do
                if redis.call('PTTL', key) == -1 then kept[#kept + 1] = key end
              end
              return kept
            end
            local all = lasting(redis.call('KEYS', '*'))
            local keys
            if #ARGV == 0 then
              keys = all
            else
              keys = lasting(redis.call('KEYS', '[^{]*'))
              for _, tag in ipairs(ARGV) do
                for _, key in ipairs(lasting(redis.call('KEYS', tag .. '*'))) do keys[#keys + 1] = key end
              end
            end
            table.sort(keys)
            local lines = {}
            for i, key in ipairs(keys) do lines[i] = key .. '=' .. redis.sha1hex(redis.call('DUMP', key) or '') end
            return {#all, redis.sha1hex(table.concat(lines, '\\n'))}
            """;

    private final Pool db;
    private final ReactiveRedisDataSource redis;
    private List<String> tables;
    private String salesChecksum;

    public StoreDigest(Pool db, ReactiveRedisDataSource redis) {
        this.db = db;
        this.redis = redis;
    }

    public record Fingerprint(Map<String, String> tables, long redisKeys, String redisDigest) {
    }

    /** Every table with its row count, and every Redis key. */
    public Fingerprint take() {
        Fingerprint fingerprint = take(List.of());
        Map<String, String> withCounts = new LinkedHashMap<>(fingerprint.tables());
        String counts = String.join(" UNION ALL ", tables().stream()
                .map(table -> "SELECT '" + table.replace("`", "") + "', COUNT(*) FROM " + table).toList());
        for (Row row : db.query(counts).execute().await().atMost(Duration.ofSeconds(10))) {
            withCounts.put(row.getString(0) + " rows", String.valueOf(row.getValue(1)));
        }
        return new Fingerprint(withCounts, fingerprint.redisKeys(), fingerprint.redisDigest());
    }

    /**
     * Every table's checksum, the number of Redis keys, and the content of the keys under these hash
     * tags (for example "{sale:42}") and outside any sale: cheap enough to take around every request.
     */
    public Fingerprint take(List<String> tags) {
        List<String> arguments = new ArrayList<>(List.of(REDIS_DIGEST, "0"));
        arguments.addAll(tags);
        // Both stores at once: this runs around every request of the fuzz test.
        var both = Uni.combine().all()
                .unis(db.query("CHECKSUM TABLE " + String.join(", ", tables())).execute(),
                        redis.execute("EVAL", arguments.toArray(String[]::new)),
                        db.query(salesChecksum()).execute())
                .asTuple().await().atMost(Duration.ofSeconds(10));
        Map<String, String> checksums = new LinkedHashMap<>();
        RowSet<Row> rows = both.getItem1();
        for (Row row : rows) {
            checksums.put(row.getString(0), String.valueOf(row.getValue(1)));
        }
        // The sales table without armed_at (and the updated_at that follows it): the auto-armer writes it in the
        // background, whatever a test sends.
        checksums.replaceAll((table, sum) -> table.endsWith(".sales")
                ? String.valueOf(both.getItem3().iterator().next().getValue(0)) : sum);
        Response digest = both.getItem2();
        return new Fingerprint(checksums, digest.get(0).toLong(), digest.get(1).toString());
    }

    private synchronized String salesChecksum() {
        if (salesChecksum == null) {
            List<String> columns = new ArrayList<>();
            db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
                            + " AND table_name = 'sales' AND column_name NOT IN ('armed_at', 'updated_at') ORDER BY ordinal_position")
                    .execute().await().atMost(Duration.ofSeconds(10))
                    .forEach(row -> columns.add("COALESCE(`" + row.getString(0) + "`, '<null>')"));
            salesChecksum = "SELECT COALESCE(BIT_XOR(CRC32(CONCAT_WS('#', " + String.join(", ", columns) + "))), 0) FROM sales";
        }
        return salesChecksum;
    }

    private synchronized List<String> tables() {
        if (tables == null) {
            List<String> names = new ArrayList<>();
            db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name")
                    .execute().await().atMost(Duration.ofSeconds(10)).forEach(row -> names.add("`" + row.getString(0) + "`"));
            tables = List.copyOf(names);
        }
        return tables;
    }
}
