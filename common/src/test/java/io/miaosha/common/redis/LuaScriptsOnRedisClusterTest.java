package io.miaosha.common.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.miaosha.common.events.OrderUpdate;
import io.miaosha.common.events.OutboxWake;
import io.miaosha.common.events.QueueEvent;
import io.miaosha.common.events.SaleEvent;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderStatus;
import io.miaosha.common.purchase.PurchaseScript;
import io.miaosha.common.queue.QueueAckScript;
import io.miaosha.common.queue.QueueAdmitScript;
import io.miaosha.common.queue.DrawFunction;
import io.miaosha.common.queue.QueueDisconnectScript;
import io.miaosha.common.queue.QueueDrawScript;
import io.miaosha.common.queue.QueueJoinScript;
import io.miaosha.common.queue.QueueLeaseScript;
import io.miaosha.common.queue.QueueLeaveScript;
import io.miaosha.common.queue.QueueRankScript;
import io.miaosha.common.queue.QueueStatusScript;
import io.miaosha.common.retire.RetireSaleScript;
import io.miaosha.common.sale.RestoreSaleScript;
import io.miaosha.common.sale.AdjustStockScript;
import io.miaosha.common.sale.ArmSaleScript;
import io.miaosha.common.sale.PayScript;
import io.miaosha.common.sale.ReleaseHoldScript;
import io.miaosha.common.sale.SaleKeys;
import io.miaosha.common.sale.TallyHoldsScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Lua script under {@code lua/}, run on a real Redis Cluster (3 masters, 3 replicas) through a
 * cluster-mode client and {@link LuaScript}, with the keys the Java key scheme builds. Redis refuses a
 * script whose declared keys span slots (CROSSSLOT) or that touches a key another node owns; a key it
 * was not given but that lives on the same node would slip through at run time, so the scripts'
 * sources are also checked to touch nothing but their KEYS. Every script runs once on each of the
 * three shards, each time first called by SHA on a node that has never seen it (the NOSCRIPT path
 * after a failover, a restart or a new shard). The PUBLISHes inside the scripts reach subscribers on
 * every node.
 *
 * <p>Needs the cluster of {@code scripts/lib/cluster.sh}; its address comes from
 * {@value #URL_ENV}. Runs in the {@code redis-cluster} Maven profile (on whenever that variable is
 * set); without the cluster it fails, it never skips.
 */
@Tag("redis-cluster")
class LuaScriptsOnRedisClusterTest {

    static final String URL_ENV = "MIAOSHA_CLUSTER_REDIS_URL";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static Vertx vertx;
    private static Redis cluster;
    private static ReactiveRedisDataSource redis;
    private static List<String> nodeUrls;
    private static final List<Redis> nodeClients = new ArrayList<>();
    private static final Map<String, Queue<String>> heardByNode = new LinkedHashMap<>();

    @BeforeAll
    static void connect() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            fail(URL_ENV + " is not set: this test needs the Redis Cluster of scripts/lib/cluster.sh. Start it with\n"
                    + "  scripts/lib/cluster.sh start && eval \"$(scripts/lib/cluster.sh test_env)\"\n"
                    + "then run ./mvnw -B -ntp -pl common verify -Predis-cluster (stop it with scripts/lib/cluster.sh stop).");
        }
        nodeUrls = Arrays.stream(url.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        vertx = Vertx.vertx();
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER)
                .setMaxPoolSize(8).setMaxPoolWaiting(100);
        nodeUrls.forEach(options::addConnectionString);
        cluster = Redis.createClient(vertx, options);
        // The same data source implementation Quarkus injects for quarkus.redis.client-type=cluster.
        redis = new ReactiveRedisDataSourceImpl(vertx, cluster, RedisAPI.api(cluster));
        String info;
        try {
            info = redis.execute("CLUSTER", "INFO").await().atMost(TIMEOUT).toString();
        } catch (RuntimeException e) {
            throw new AssertionError("no Redis Cluster answers at " + url + " (" + e.getMessage()
                    + "): start it with scripts/lib/cluster.sh start", e);
        }
        assertTrue(info.contains("cluster_state:ok"), "the Redis Cluster at " + url + " is not ok:\n" + info);
        for (String node : nodeUrls) {
            heardByNode.put(node, subscribeOn(node));
        }
    }

    @AfterAll
    static void close() {
        nodeClients.forEach(Redis::close);
        if (cluster != null) {
            cluster.close();
        }
        if (vertx != null) {
            vertx.closeAndAwait();
        }
    }

    /** The key list each script is called with, as the services build it (file name to keys). */
    static Map<String, List<String>> keysByScript(long saleId) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("arm_sale.lua", ArmSaleScript.keys(saleId));
        keys.put("arm_seats.lua", io.miaosha.common.sale.ArmSeatsScript.keys(saleId));
        keys.put("seat_map.lua", io.miaosha.common.sale.SeatMapScript.keys(saleId));
        keys.put("adjust_stock.lua", AdjustStockScript.keys(saleId));
        keys.put("purchase.lua", PurchaseScript.keys(saleId, 101, "key-1"));
        keys.put("pay.lua", PayScript.keys(saleId));
        keys.put("release_hold.lua", ReleaseHoldScript.keys(saleId));
        keys.put("queue_join.lua", QueueJoinScript.keys(saleId));
        keys.put("queue_draw.lua", QueueDrawScript.keys(saleId));
        keys.put("queue_disconnect.lua", QueueDisconnectScript.keys(saleId));
        keys.put("queue_leave.lua", QueueLeaveScript.keys(saleId));
        keys.put("queue_admit.lua", QueueAdmitScript.keys(saleId));
        keys.put("queue_ack.lua", QueueAckScript.keys(saleId));
        keys.put("queue_rank.lua", QueueRankScript.keys(saleId));
        keys.put("queue_status.lua", QueueStatusScript.keys(saleId));
        keys.put("queue_lease.lua", QueueLeaseScript.keys(saleId));
        keys.put("retire_sale.lua", RetireSaleScript.keys(saleId));
        keys.put("tally_holds.lua", TallyHoldsScript.keys(saleId));
        List<String> withOneRecord = new java.util.ArrayList<>(RestoreSaleScript.keys(saleId));
        withOneRecord.add(new SaleKeys(saleId).idempotency(101, "key-1"));
        keys.put("restore_sale.lua", withOneRecord);
        keys.put("adopt_orders.lua", withOneRecord);
        return keys;
    }

    @Test
    void everyScriptUnderLuaIsCoveredHere() throws URISyntaxException {
        File dir = new File(LuaScript.class.getClassLoader().getResource("lua").toURI());
        Set<String> onDisk = Stream.of(dir.list()).filter(name -> name.endsWith(".lua")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, new TreeSet<>(keysByScript(1).keySet()),
                "every script under lua/ needs its key list here, so it is proven to fit one slot");
    }

    /** The command names whose first argument is not a key (a channel, a script, nothing). */
    private static final Set<String> KEYLESS_COMMANDS = Set.of("PUBLISH", "TIME");
    /** The command names whose key follows a subcommand (XGROUP CREATE key ...). */
    private static final Set<String> SUBCOMMAND_COMMANDS = Set.of("XGROUP", "XINFO", "OBJECT");
    private static final Pattern CALL = Pattern.compile(
            "redis\\.p?call\\(\\s*'([A-Za-z]+)'\\s*(?:,\\s*([^,)]+))?(?:,\\s*([^,)]+))?");

    @Test
    void everyScriptTouchesOnlyTheKeysItIsGiven() throws Exception {
        for (String script : keysByScript(1).keySet()) {
            String body;
            try (var in = LuaScript.class.getClassLoader().getResourceAsStream("lua/" + script)) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher call = CALL.matcher(body);
            int calls = 0;
            while (call.find()) {
                calls++;
                String command = call.group(1).toUpperCase();
                String key = call.group(SUBCOMMAND_COMMANDS.contains(command) ? 3 : 2);
                String firstArgument = key == null ? "" : key.trim();
                if (!KEYLESS_COMMANDS.contains(command)) {
                    assertTrue(firstArgument.startsWith("KEYS["),
                            script + " calls " + command + " on " + firstArgument + ", not on one of its KEYS");
                }
            }
            assertTrue(calls > 0, script + " calls Redis nowhere the check can see");
        }
    }

    @ParameterizedTest(name = "sale {0}")
    @MethodSource("oneSalePerShard")
    void everyScriptsKeysHashToTheSalesSlot(long saleId) {
        long slot = slotOf(new SaleKeys(saleId).tag());
        keysByScript(saleId).forEach((script, keys) -> {
            for (String key : keys) {
                assertEquals(slot, slotOf(key), script + " key " + key + " is not in the slot of sale " + saleId);
                assertEquals(slot, crc16Slot(key), "the local slot of " + key + " disagrees with the server's");
            }
        });
    }

    /**
     * A sale's whole life through every script on the shard that owns it: arm, resize, take the queue
     * lease, join (three shoppers), read rank and status, admit, acknowledge, buy (the second buy sells
     * out), pay one hold, release the other, disconnect and leave.
     */
    @ParameterizedTest(name = "sale {0}")
    @MethodSource("oneSalePerShard")
    void everyScriptRunsOnTheShardOwningItsSaleWithoutCrossSlot(long saleId) {
        flushScriptCaches();
        Map<String, List<String>> keys = keysByScript(saleId);
        SaleKeys sale = new SaleKeys(saleId);
        long now = System.currentTimeMillis();
        String id = Long.toString(saleId);

        assertEquals(1, run("arm_sale.lua", keys.get("arm_sale.lua"), Long.toString(now - 1_000),
                Long.toString(now + 3_600_000), "scheduled", "2", "60000", "1999", "EUR", "10", "10", "1", "5", "600000")
                .toInteger(), "arm_sale arms a new sale");
        assertEquals(List.of(1, 2), ints(run("adjust_stock.lua", keys.get("adjust_stock.lua"), "2")), "adjust_stock cuts the stock to 2");
        assertEquals(1, run("queue_lease.lua", keys.get("queue_lease.lua"), "instance-a", "5000").toInteger(), "queue_lease is taken");
        for (String user : List.of("101", "102", "103")) {
            assertEquals(1, run("queue_join.lua", keys.get("queue_join.lua"), user, Long.toString(now), "0.5", "ticket-" + user, "")
                    .get(0).toInteger(), "queue_join gives " + user + " a ticket");
        }
        String seed = DrawFunction.newSeed();
        assertEquals(1, run("queue_draw.lua", keys.get("queue_draw.lua"), Long.toString(now - 2_000), seed,
                DrawFunction.commitment(seed)).get(0).toInteger(), "queue_draw creates the draw of a sale not open yet");
        assertEquals(List.of(2, 0, 0), ints(run("queue_rank.lua", keys.get("queue_rank.lua"), "103")), "103 has two ahead");
        Response status = run("queue_status.lua", keys.get("queue_status.lua"));
        assertEquals("scheduled", status.get(0).toString());
        assertEquals(3, status.get(6).toInteger(), "queue_status counts three waiting");
        // Capacity 5 admits all three; the publish inside the script announces it.
        assertEquals(List.of(3, 0, 0, 0), ints(run("queue_admit.lua", keys.get("queue_admit.lua"), Long.toString(now), "60000",
                "100", id, QueueEvent.CHANNEL, "30000")), "queue_admit admits the three");
        assertEquals(1, run("queue_ack.lua", keys.get("queue_ack.lua"), "101").toInteger(), "queue_ack holds 101's slot");

        String paidOrder = OrderIds.next();
        Response bought = run("purchase.lua", PurchaseScript.keys(saleId, 101, "key-1"), "101", "1", paidOrder,
                Long.toString(now), "1", "3600", id, "key-1", "token-101", OrderUpdate.CHANNEL,
                SaleEvent.CHANNEL, OutboxWake.CHANNEL);
        assertEquals(1, bought.get(0).toInteger(), "purchase sells 101 a unit: " + bought);
        String expiringOrder = OrderIds.next();
        Response soldOut = run("purchase.lua", PurchaseScript.keys(saleId, 102, "key-2"), "102", "1", expiringOrder,
                Long.toString(now), "1", "3600", id, "key-2", "token-102", OrderUpdate.CHANNEL,
                SaleEvent.CHANNEL, OutboxWake.CHANNEL);
        assertEquals(List.of(1, 0), List.of(soldOut.get(0).toInteger(), soldOut.get(4).toInteger()), "the last unit goes to 102");

        assertEquals(1, run("pay.lua", keys.get("pay.lua"), paidOrder, "101", Long.toString(now + 1), "pay-1", id, OutboxWake.CHANNEL)
                .get(0).toInteger(), "pay marks 101's hold paid");
        Response released = run("release_hold.lua", keys.get("release_hold.lua"), expiringOrder, Long.toString(now + 60_001));
        assertEquals(List.of(1, 102, 1, 1), ints(released), "release_hold returns 102's unit after its pay-by time");

        // 103 was admitted, not waiting: a disconnect keeps its slot, and a leave frees it.
        assertEquals(1, run("queue_disconnect.lua", keys.get("queue_disconnect.lua"), "103", Long.toString(now + 60_000))
                .toInteger(), "103's last socket closed");
        assertEquals(1, run("queue_leave.lua", keys.get("queue_leave.lua"), "103").toInteger(), "103 leaves and frees its slot");

        assertEquals("1", redis.execute("GET", sale.stock()).await().atMost(TIMEOUT).toString(), "one unit left after the release");
        assertEquals(3L, redis.execute("XLEN", sale.outbox()).await().atMost(TIMEOUT).toLong(), "two orders and one payment in the outbox");

        // Closed, both holds settled and the outbox relayed: the sale's hot state leaves its shard.
        redis.execute("HSET", sale.meta(), "closes_at", Long.toString(now)).await().atMost(TIMEOUT);
        assertEquals(-3, run("retire_sale.lua", keys.get("retire_sale.lua"), Long.toString(now + 1), "0", "2", "0")
                .get(0).toInteger(), "retire_sale waits for the outbox");
        redis.execute("DEL", sale.outbox()).await().atMost(TIMEOUT);
        assertEquals(List.of(1, 1), ints(run("retire_sale.lua", keys.get("retire_sale.lua"), Long.toString(now + 1), "0", "2", "0")),
                "retire_sale retires the sale with its one unsold unit");
        assertEquals(0L, redis.execute("EXISTS", sale.meta(), sale.stock(), sale.holds()).await().atMost(TIMEOUT).toLong());

        // Classic PUBLISH from a script is cluster-wide: a subscriber on any node hears it.
        awaitHeardEverywhere("sold out", m -> new SaleEvent(SaleEvent.Type.SOLD_OUT, saleId).equals(decoded(SaleEvent::decode, m)));
        awaitHeardEverywhere("admitted", m -> decoded(QueueEvent::decode, m) instanceof QueueEvent.Admitted admitted
                && admitted.saleId() == saleId && admitted.userIds().equals(List.of(101L, 102L, 103L)));
        awaitHeardEverywhere("102's order", m -> new OrderUpdate(expiringOrder, 102, saleId, OrderStatus.PENDING_PAYMENT)
                .equals(decoded(OrderUpdate::decode, m)));
    }

    /** A sale id for each master, so every script runs on every shard. */
    /**
     * Sent a "now" of {@link RedisClock#SERVER}, purchase.lua, pay.lua and release_hold.lua decide on the
     * clock of the shard's master, whatever the caller's clock says: an API instance running ahead can
     * neither open a sale early, nor give a later pay-by, nor see a live hold as expired. An explicit
     * time still rules (the tests that put a script at a chosen moment).
     */
    @ParameterizedTest(name = "sale {0}")
    @MethodSource("oneSalePerShard")
    void scriptsSentTheServerClockDecideOnTheShardsTime(long saleId) {
        Map<String, List<String>> keys = keysByScript(saleId);
        keys.values().stream().flatMap(List::stream).distinct()
                .forEach(key -> redis.execute("DEL", key).await().atMost(TIMEOUT));
        String id = Long.toString(saleId);
        String server = Long.toString(RedisClock.SERVER);
        long opens = redisMillis() + 60_000;
        run("arm_sale.lua", keys.get("arm_sale.lua"), Long.toString(opens), Long.toString(opens + 3_600_000), "scheduled",
                "5", "4000", "1999", "EUR", "10", "10", "0", "5", "600000");

        Response early = run("purchase.lua", PurchaseScript.keys(saleId, 101, ""), "101", "1", OrderIds.next(), server,
                "", "3600", id, "", "", OrderUpdate.CHANNEL, SaleEvent.CHANNEL, OutboxWake.CHANNEL);
        assertEquals(List.of(-2L, opens), List.of(early.get(0).toLong(), early.get(1).toLong()),
                "not open yet on the server's clock: " + early);
        Response ahead = run("purchase.lua", PurchaseScript.keys(saleId, 101, ""), "101", "1", OrderIds.next(),
                Long.toString(opens + 1), "", "3600", id, "", "", OrderUpdate.CHANNEL, SaleEvent.CHANNEL, OutboxWake.CHANNEL);
        assertEquals(1, ahead.get(0).toInteger(), "an explicit time past the opening is obeyed: " + ahead);

        // Open it now on the server's clock: the pay-by is that clock plus the hold, whatever the caller's.
        run("arm_sale.lua", keys.get("arm_sale.lua"), Long.toString(redisMillis() - 1_000), Long.toString(opens + 3_600_000),
                "scheduled", "5", "4000", "1999", "EUR", "10", "10", "0", "5", "600000");
        String held = OrderIds.next();
        long before = redisMillis();
        Response bought = run("purchase.lua", PurchaseScript.keys(saleId, 102, ""), "102", "1", held, server,
                "", "3600", id, "", "", OrderUpdate.CHANNEL, SaleEvent.CHANNEL, OutboxWake.CHANNEL);
        long after = redisMillis();
        assertEquals(1, bought.get(0).toInteger(), "bought on the server's clock: " + bought);
        long payBy = bought.get(3).toLong();
        assertTrue(payBy >= before + 4_000 && payBy <= after + 4_000,
                "pay-by " + payBy + " is the server's clock + 4 s (" + before + ".." + after + ")");

        assertEquals(-3, run("release_hold.lua", keys.get("release_hold.lua"), held, server).get(0).toInteger(),
                "not due on the server's clock, so not released");
        assertEquals(-2, run("pay.lua", keys.get("pay.lua"), held, "102", Long.toString(payBy), "pay-late", id, OutboxWake.CHANNEL)
                .get(0).toInteger(), "an explicit time at the pay-by is too late");
        assertEquals(1, run("pay.lua", keys.get("pay.lua"), held, "102", server, "pay-1", id, OutboxWake.CHANNEL).get(0).toInteger(),
                "paid on the server's clock, before its pay-by");
        keys.values().stream().flatMap(List::stream).distinct()
                .forEach(key -> redis.execute("DEL", key).await().atMost(TIMEOUT));
    }

    private static long redisMillis() {
        Response time = redis.execute("TIME").await().atMost(TIMEOUT);
        return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    }

    static Stream<Long> oneSalePerShard() {
        if (redis == null) {
            connect();
        }
        List<long[]> ranges = new ArrayList<>();
        for (Response range : redis.execute("CLUSTER", "SLOTS").await().atMost(TIMEOUT)) {
            ranges.add(new long[] {range.get(0).toLong(), range.get(1).toLong()});
        }
        assertEquals(3, ranges.size(), "the cluster should serve its slots from 3 masters");
        // Fresh ids each run, so a test rerun on the same cluster never meets an earlier run's sale.
        long base = System.currentTimeMillis() % 1_000_000_000L * 1_000;
        List<Long> ids = new ArrayList<>();
        for (long[] range : ranges) {
            long id = base;
            while (crc16Slot(new SaleKeys(id).tag()) < range[0] || crc16Slot(new SaleKeys(id).tag()) > range[1]) {
                id++;
            }
            ids.add(id);
        }
        return ids.stream();
    }

    private static Response run(String script, List<String> keys, String... args) {
        try {
            return LuaScript.fromClasspath(script).call(redis, keys, List.of(args)).await().atMost(TIMEOUT);
        } catch (RuntimeException e) {
            throw new AssertionError(script + " failed on the cluster with keys " + keys + ": " + e.getMessage(), e);
        }
    }

    private static List<Integer> ints(Response response) {
        List<Integer> values = new ArrayList<>();
        for (Response item : response) {
            values.add(item.toInteger());
        }
        return values;
    }

    private static long slotOf(String key) {
        return redis.execute("CLUSTER", "KEYSLOT", key).await().atMost(TIMEOUT).toLong();
    }

    /** Redis Cluster's key slot: CRC16 (XMODEM) of the hash tag, or of the whole key without one, mod 16384. */
    static long crc16Slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc % 16384;
    }

    /** Every node forgets every script, as after a restart or a failover to a replica that never loaded them. */
    private static void flushScriptCaches() {
        for (String node : nodeUrls) {
            Redis client = Redis.createClient(vertx, node);
            try {
                client.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await().atMost(TIMEOUT);
            } finally {
                client.close();
            }
        }
    }

    private static Queue<String> subscribeOn(String node) {
        Queue<String> heard = new ConcurrentLinkedQueue<>();
        Redis client = Redis.createClient(vertx, node);
        nodeClients.add(client);
        RedisConnection connection = client.connect().await().atMost(TIMEOUT);
        connection.handler(message -> {
            if (message.size() == 3 && "message".equals(message.get(0).toString())) {
                heard.add(message.get(2).toString());
            }
        });
        connection.send(Request.cmd(Command.SUBSCRIBE).arg(SaleEvent.CHANNEL).arg(QueueEvent.CHANNEL).arg(OrderUpdate.CHANNEL))
                .await().atMost(TIMEOUT);
        return heard;
    }

    /** The message as the codec reads it, or null when it is another channel's message. */
    private static <T> T decoded(Function<String, T> codec, String message) {
        try {
            return codec.apply(message);
        } catch (RuntimeException otherMessage) {
            return null;
        }
    }

    private static void awaitHeardEverywhere(String what, Predicate<String> message) {
        long deadline = System.currentTimeMillis() + TIMEOUT.toMillis();
        Set<String> missing = new HashSet<>(heardByNode.keySet());
        while (!missing.isEmpty() && System.currentTimeMillis() < deadline) {
            missing.removeIf(node -> heardByNode.get(node).stream().anyMatch(message));
            if (!missing.isEmpty()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        assertTrue(missing.isEmpty(), "no subscriber on " + missing + " heard " + what);
    }
}
