package io.miaosha.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.common.queue.QueueKeys;
import io.miaosha.gateway.testing.QueueClient;
import io.miaosha.gateway.testing.QueueSales;
import io.miaosha.testsupport.FreshSecrets;
import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestStores;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged gateway processes share one queue through Redis: shoppers on both are admitted in one
 * global ticket order; killing (kill -9) the instance that holds the sale's lease moves the admission
 * loop to the other within a few seconds, and nobody is admitted twice. Packaged gateways refuse the
 * committed dev secrets, so both get the same fresh ones, and the shoppers' tokens are signed with that key.
 */
class TwoInstancesIT {

    private static Vertx vertx;
    private static RedisDataSource redis;
    private static final FreshSecrets SECRETS = FreshSecrets.generate();

    @BeforeAll
    static void connect() {
        vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestStores.redisUrl(TestStores.REDIS_DB)));
        redis = new BlockingRedisDataSourceImpl(io.vertx.mutiny.core.Vertx.newInstance(vertx),
                io.vertx.mutiny.redis.client.Redis.newInstance(client),
                io.vertx.mutiny.redis.client.RedisAPI.api(io.vertx.mutiny.redis.client.Redis.newInstance(client)),
                Duration.ofSeconds(10));
    }

    @AfterAll
    static void disconnect() {
        vertx.close();
    }

    @Test
    void shoppersOnBothInstancesAreAdmittedInOneOrderAndTheLeaseMovesWhenItsHolderDies() throws Exception {
        QueueSales sales = new QueueSales(redis);
        long saleId = sales.live(1000, 1, 600_000);
        try (ServiceProcess a = gateway("gw-a"); ServiceProcess b = gateway("gw-b")) {
            List<ServiceProcess> gateways = List.of(a, b);
            List<Long> users = new ArrayList<>();
            Map<Long, QueueClient> sockets = new HashMap<>();
            Map<Long, ServiceProcess> servedBy = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                long user = sales.nextUserId();
                ServiceProcess gateway = gateways.get(i % 2);
                QueueClient client = QueueClient.connect(vertx, gateway.port(), saleId, user, SessionTokens.signedWith(SECRETS.signingKey()).shopper(user));
                client.await("sale", Duration.ofSeconds(5));
                users.add(user);
                sockets.put(user, client);
                servedBy.put(user, gateway);
            }
            Set<String> windows = new HashSet<>();

            // The first four, in ticket order, whichever instance they are on.
            for (int i = 0; i < 4; i++) {
                admitNext(users, sockets, i, windows);
            }

            String holderId = sales.leaseHolder(saleId);
            ServiceProcess holder = holderId.equals("gw-a") ? a : b;
            ServiceProcess survivor = holder == a ? b : a;
            String survivorId = holder == a ? "gw-b" : "gw-a";
            holder.kill();
            long killedAt = System.currentTimeMillis();
            // Shoppers of the dead instance reconnect to the other one (a browser reloads): they keep their place.
            for (long user : users.subList(4, users.size())) {
                if (servedBy.get(user) == holder) {
                    QueueClient client = QueueClient.connect(vertx, survivor.port(), saleId, user, SessionTokens.signedWith(SECRETS.signingKey()).shopper(user));
                    client.await("sale", Duration.ofSeconds(5));
                    sockets.put(user, client);
                }
            }
            while (!survivorId.equals(sales.leaseHolder(saleId))) {
                assertTrue(System.currentTimeMillis() - killedAt < 6000, "the survivor takes the lease within 6 s");
                QueueClient.sleep(50);
            }
            long takeoverMs = System.currentTimeMillis() - killedAt;

            for (int i = 4; i < users.size(); i++) {
                admitNext(users, sockets, i, windows);
            }
            assertEquals(users.size(), windows.size(), "one admission per shopper");
            assertEquals(Integer.toString(users.size()),
                    redis.hash(String.class).hget(new QueueKeys(saleId).stats(), "served"), "admitted exactly once each");
            System.out.printf("lease moved from %s to %s %d ms after kill -9%n", holderId, survivorId,
                    takeoverMs);
        }
    }

    /** Waits for shopper i's admission, checks nobody behind it got in first, then it leaves. */
    /** A packaged gateway of its own process, as production runs it, on the test Redis DB. */
    private static ServiceProcess gateway(String instanceId) throws IOException {
        Map<String, String> env = new HashMap<>(SECRETS.environment());
        env.put("MIAOSHA_QUEUE_INSTANCE_ID", instanceId);
        env.put("MIAOSHA_REDIS_URL", TestStores.redisUrl(TestStores.REDIS_DB));
        Path jar = Path.of(System.getProperty("gateway.jar", "target/quarkus-app/quarkus-run.jar"));
        return ServiceProcess.jar(jar).name("queue-gateway-" + instanceId).heap("256m").environment(env)
                .start(Duration.ofSeconds(30));
    }

    private static void admitNext(List<Long> users, Map<Long, QueueClient> sockets, int i, Set<String> windows) {
        QueueClient next = sockets.get(users.get(i));
        String window = next.await("admitted", Duration.ofSeconds(8)).getString("windowEndsAt");
        windows.add(users.get(i) + "@" + window);
        for (int later = i + 1; later < users.size(); later++) {
            assertTrue(!sockets.get(users.get(later)).admitted(), "shopper " + later + " admitted before " + i);
        }
        next.leave();
        next.await("closed", Duration.ofSeconds(5));
    }
}
