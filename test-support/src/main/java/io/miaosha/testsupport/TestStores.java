package io.miaosha.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' own stores, named once: each default is what scripts/lib/stack.sh's fresh_stores empties
 * for the test command, and each can be moved with its environment variable (so two checkouts or
 * CI and a developer never share one). Never the run command's stores.
 */
public final class TestStores {

    /** The tests' MariaDB database (order-worker's and flash-sale-api's %test profiles use it too). */
    public static final String DB = env("MIAOSHA_TEST_DB", "miaosha_test");
    /** The Redis database of the @QuarkusTest suites and the processes they start. */
    public static final String REDIS_DB = env("MIAOSHA_TEST_REDIS_DB", "5");
    /** The Redis database of the whole-system tests. */
    public static final String IT_REDIS_DB = env("MIAOSHA_IT_REDIS_DB", "6");
    /** order-worker's tests' vhost. */
    public static final String VHOST = env("MIAOSHA_TEST_VHOST", "miaosha-test");
    /** flash-sale-api's tests' vhost: the hold timers they leave behind never reach the worker's tests. */
    public static final String API_VHOST = env("MIAOSHA_TEST_API_VHOST", "miaosha-test-api");
    /** The whole-system tests' vhost: their 10,000-order runs leave timers behind too. */
    public static final String IT_VHOST = env("MIAOSHA_IT_VHOST", "miaosha-it");

    private TestStores() {
    }

    public static String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:3306/" + DB;
    }

    /** The reactive client's URL of the same database. */
    public static String mysqlUrl() {
        return "mysql://127.0.0.1:3306/" + DB;
    }

    public static String redisUrl(String db) {
        return "redis://127.0.0.1:6379/" + db;
    }

    /** One redis-cli command on a database; its reply as redis-cli prints it (one line per element). */
    public static String redis(String db, String... command) {
        List<String> full = new ArrayList<>(List.of("redis-cli", "-n", db));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("redis-cli " + String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("redis-cli is missing (apt-get install redis-tools)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
