package io.miaosha.common.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A subscription through {@link LastingSubscription} outlives its connection: on a redis-server of
 * its own (killing the shared server's pub/sub connections would cut every other test's), the
 * subscriber's connection is killed, and later the server itself is stopped and started again on the
 * same port; each time a message published afterwards still arrives.
 */
class LastingSubscriptionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Path dir;
    private static int port;
    private static Process server;
    private static Vertx vertx;
    private static Redis client;
    private static ReactiveRedisDataSource redis;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("lasting-subscription");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = startServer();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port)
                .setMaxPoolSize(4).setMaxPoolWaiting(100));
        // The same data source implementation Quarkus injects.
        redis = new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
        if (server != null) {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void aMessageArrivesAfterTheConnectionWasKilledAndAfterTheServerRestarted() throws Exception {
        Queue<String> heard = new ConcurrentLinkedQueue<>();
        Cancellable subscription = LastingSubscription.follow(redis, "lasting-test", heard::add);
        try {
            heardAfterPublishing("lasting-test", "first", heard);

            String killed = cli("CLIENT", "KILL", "TYPE", "pubsub");
            assertEquals("1", killed, "the subscriber's one connection was not killed");
            heardAfterPublishing("lasting-test", "after the kill", heard);

            server.destroy();
            server.waitFor();
            server = startServer();
            heardAfterPublishing("lasting-test", "after the restart", heard);
        } finally {
            subscription.cancel();
        }
    }

    @Test
    void aHandlerThatThrowsKeepsTheSubscription() throws Exception {
        Queue<String> heard = new ConcurrentLinkedQueue<>();
        Cancellable subscription = LastingSubscription.follow(redis, "lasting-throwing", message -> {
            heard.add(message);
            throw new IllegalStateException("a bad message");
        });
        try {
            heardAfterPublishing("lasting-throwing", "one", heard);
            heardAfterPublishing("lasting-throwing", "two", heard);
        } finally {
            subscription.cancel();
        }
    }

    /** Publishes MESSAGE on CHANNEL (numbered, again and again until someone is subscribed) until the handler has it. */
    private static void heardAfterPublishing(String channel, String message, Queue<String> heard) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            String numbered = message + " #" + n++;
            String receivers = cli("PUBLISH", channel, numbered);
            if (!"0".equals(receivers) && eventually(() -> heard.contains(numbered), Duration.ofSeconds(5))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("'" + message + "' was never heard; heard " + heard);
    }

    private static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    private static Process startServer() throws Exception {
        Process started = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if ("PONG".equals(cli("PING"))) {
                return started;
            }
            assertTrue(started.isAlive(), "redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            Thread.sleep(50);
        }
        throw new AssertionError("redis-server did not answer on port " + port);
    }

    private static String cli(String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        line.addAll(List.of(command));
        Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes()).trim();
        cli.waitFor();
        return out;
    }
}
