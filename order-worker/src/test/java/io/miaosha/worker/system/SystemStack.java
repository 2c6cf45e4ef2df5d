package io.miaosha.worker.system;

import io.miaosha.common.sale.SaleKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the system tests' processes live: the test database and vhost (as the module's own
 * tests), a Redis database of their own, and ports no developer's run uses.
 */
final class SystemStack {

    static final int API_PORT = 18180;
    static final int SECOND_API_PORT = 18182;
    static final int WORKER_PORT = 18181;

    private static final String DB = env("MIAOSHA_TEST_DB", "miaosha_test");
    // A vhost of their own: the 10,000-order runs leave hold timers behind that must not reach other suites.
    private static final String VHOST = env("MIAOSHA_IT_VHOST", "miaosha-it");
    private static final String REDIS_DB = env("MIAOSHA_IT_REDIS_DB", "6");

    private SystemStack() {
    }

    static ServiceProcess startApi(int port) throws IOException {
        return startApi(port, Map.of());
    }

    static ServiceProcess startApi(int port, Map<String, String> overrides) throws IOException {
        Map<String, String> properties = new java.util.HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:mariadb://127.0.0.1:3306/" + DB,
                "quarkus.datasource.reactive.url", "mysql://127.0.0.1:3306/" + DB,
                "quarkus.datasource.read.reactive.url", "mysql://127.0.0.1:3306/" + DB,
                "quarkus.redis.hosts", "redis://127.0.0.1:6379/" + REDIS_DB,
                "rabbitmq-virtual-host", VHOST,
                // A crashed relay's entries are claimed by a live one after this idle time.
                "miaosha.relay.claim-after", "PT2S"));
        properties.putAll(overrides);
        return ServiceProcess.start("flash-sale-api", jar("miaosha.it.api-jar"), port, properties);
    }

    static ServiceProcess startWorker() throws IOException {
        return ServiceProcess.start("order-worker", jar("miaosha.it.worker-jar"), WORKER_PORT, Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:mariadb://127.0.0.1:3306/" + DB,
                "quarkus.datasource.reactive.url", "mysql://127.0.0.1:3306/" + DB,
                "rabbitmq-virtual-host", VHOST));
    }

    static SessionTokenMinter tokens() throws Exception {
        return new SessionTokenMinter(jar("miaosha.it.private-key"));
    }

    /** Holds recorded in Redis for the sale: one per accepted purchase. */
    static long holdsInRedis(long saleId) throws IOException, InterruptedException {
        return Long.parseLong(redis("HLEN", new SaleKeys(saleId).holds()));
    }

    /** Units a user holds in the sale, as the purchase script counts them for the limit. */
    static Map<String, String> unitsPerUser(long saleId) throws IOException, InterruptedException {
        String[] lines = redis("HGETALL", new SaleKeys(saleId).userUnits()).split("\n");
        java.util.HashMap<String, String> units = new java.util.HashMap<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            units.put(lines[i], lines[i + 1]);
        }
        return units;
    }

    /** Outbox entries read by a relay but not yet acknowledged (the summary form of XPENDING). */
    static long pendingInOutbox(long saleId) throws IOException, InterruptedException {
        String summary = redis("XPENDING", new SaleKeys(saleId).outbox(), SaleKeys.RELAY_GROUP);
        return Long.parseLong(summary.split("\n")[0].trim());
    }

    static long stockInRedis(long saleId) throws IOException, InterruptedException {
        return Long.parseLong(redis("GET", new SaleKeys(saleId).stock()));
    }

    private static String redis(String... command) throws IOException, InterruptedException {
        String[] full = new String[command.length + 3];
        full[0] = "redis-cli";
        full[1] = "-n";
        full[2] = REDIS_DB;
        System.arraycopy(command, 0, full, 3, command.length);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException("redis-cli " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static Path jar(String property) {
        String path = System.getProperty(property);
        if (path == null || !Path.of(path).toFile().isFile()) {
            throw new IllegalStateException(property + " (" + path + ") is missing: build the modules first (mvnw install)");
        }
        return Path.of(path);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
