package io.miaosha.system;

import io.miaosha.common.sale.SaleKeys;
import io.miaosha.testsupport.FreshSecrets;
import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestStores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the system tests' processes live: the test database (as the modules' own tests), a Redis
 * database and vhost of their own, and ports no developer's run uses. The packaged API runs in the
 * production profile, which refuses the committed dev key pair and secrets: it gets fresh ones,
 * and the tests mint session tokens with that key.
 */
final class SystemStack {

    static final int API_PORT = 18180;
    static final int SECOND_API_PORT = 18182;
    static final int WORKER_PORT = 18181;

    private static final String REDIS_DB = TestStores.IT_REDIS_DB;
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final FreshSecrets SECRETS = FreshSecrets.generate();

    private SystemStack() {
    }

    static ServiceProcess startApi(int port) throws IOException {
        return startApi(port, Map.of());
    }

    static ServiceProcess startApi(int port, Map<String, String> overrides) throws IOException {
        Map<String, String> properties = new HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", TestStores.jdbcUrl(),
                "quarkus.datasource.reactive.url", TestStores.mysqlUrl(),
                "quarkus.datasource.read.reactive.url", TestStores.mysqlUrl(),
                "quarkus.redis.hosts", TestStores.redisUrl(REDIS_DB),
                "rabbitmq-virtual-host", TestStores.IT_VHOST,
                // The dev profile's test payment provider: a production start refuses it.
                "quarkus.profile", "dev",
                // A crashed relay's entries are claimed by a live one after this idle time.
                "miaosha.relay.claim-after", "PT2S",
                // ... and looked for by a sweep this often (a live relay's wake-ups need no sweep).
                "miaosha.relay.sweep-every", "PT1S"));
        properties.putAll(overrides);
        return start("flash-sale-api", "miaosha.it.api-jar", port, properties);
    }

    static ServiceProcess startWorker() throws IOException {
        return startWorker(Map.of());
    }

    static ServiceProcess startWorker(Map<String, String> overrides) throws IOException {
        Map<String, String> properties = new HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", TestStores.jdbcUrl(),
                "quarkus.datasource.reactive.url", TestStores.mysqlUrl(),
                // The API's Redis database: the worker expires, sweeps and adopts holds there (its default,
                // DB 0 of the machine's Redis, is nobody's test database).
                "quarkus.redis.hosts", TestStores.redisUrl(REDIS_DB),
                "rabbitmq-virtual-host", TestStores.IT_VHOST,
                // No ElasticMQ here: the production profile would send the confirmation emails to AWS with
                // whatever credentials the machine holds; a closed local port fails them at once instead.
                "quarkus.sqs.endpoint-override", "http://127.0.0.1:9",
                "quarkus.sqs.aws.credentials.type", "static"));
        properties.putAll(overrides);
        return start("order-worker", "miaosha.it.worker-jar", WORKER_PORT, properties);
    }

    static SessionTokens tokens() {
        return SessionTokens.signedWith(SECRETS.signingKey());
    }

    /** Holds recorded in Redis for the sale: one per accepted purchase. */
    static long holdsInRedis(long saleId) {
        return Long.parseLong(redis("HLEN", new SaleKeys(saleId).holds()));
    }

    /** Units a user holds in the sale, as the purchase script counts them for the limit. */
    static Map<String, String> unitsPerUser(long saleId) {
        String[] lines = redis("HGETALL", new SaleKeys(saleId).userUnits()).split("\n");
        Map<String, String> units = new HashMap<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            units.put(lines[i], lines[i + 1]);
        }
        return units;
    }

    /**
     * Outbox entries pending in the name of the relay of the process with this pid (its consumer is
     * named {@code relay-<pid>-...}): the ones only a claim by another relay can move once it is dead.
     */
    static long pendingInOutboxOf(long saleId, long pid) {
        String[] lines = redis("XINFO", "CONSUMERS", new SaleKeys(saleId).outbox(), SaleKeys.RELAY_GROUP).split("\n");
        String prefix = "relay-" + pid + "-";
        long pending = 0;
        String consumer = "";
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].trim().equals("name")) {
                consumer = lines[i + 1].trim();
            } else if (lines[i].trim().equals("pending") && consumer.startsWith(prefix)) {
                pending += Long.parseLong(lines[i + 1].trim());
            }
        }
        return pending;
    }

    static long stockInRedis(long saleId) {
        return Long.parseLong(redis("GET", new SaleKeys(saleId).stock()));
    }

    private static String redis(String... command) {
        return TestStores.redis(REDIS_DB, command);
    }

    private static ServiceProcess start(String name, String jarProperty, int port, Map<String, String> properties)
            throws IOException {
        return ServiceProcess.jar(jar(jarProperty)).name(name).port(port).properties(properties)
                .environment(SECRETS.environment()).logsIn(Path.of(System.getProperty("miaosha.it.logs", "target/it-logs")))
                .start(READY_WITHIN);
    }

    private static Path jar(String property) {
        String path = System.getProperty(property);
        if (path == null || !Path.of(path).toFile().isFile()) {
            throw new IllegalStateException(property + " (" + path + ") is missing: build the modules first (mvnw install, or verify -pl system-tests -am)");
        }
        return Path.of(path);
    }
}
