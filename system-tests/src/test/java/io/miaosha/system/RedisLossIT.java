package io.miaosha.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestDatabase;
import io.miaosha.testsupport.chaos.InvariantChecker;
import io.miaosha.testsupport.chaos.ShopperRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the sale's Redis (a redis-server of the test's own; never the machine's) with orders on
 * their way to MySQL. Without persistence Redis comes back empty and the sale is rebuilt from what is
 * durable; with an AOF fsynced on every write it comes back as it was. Either way: every acknowledged
 * order is one row in MySQL, no unit is sold twice, nobody exceeds the limit.
 */
class RedisLossIT {

    private static final int STOCK = 1000;
    private static final int SHOPPERS = 150;
    /** Long enough for the worker to start and the sale to be rebuilt before the first round's holds are due. */
    private static final int HOLD_SECONDS = 75;

    /**
     * The issue's own repro, with every order still in RabbitMQ at the kill (no worker runs until the
     * kill is over): a sale of 1,000, limit 1; 150 shoppers buy one each; Redis is killed -9 and
     * restarted empty; the same 150 buy again.
     */
    @Test
    void anEmptiedRedisIsRebuiltFromWhatIsDurableAndSellsNothingTwice() throws Exception {
        SessionTokens minter = SystemStack.tokens();
        try (OwnRedis redis = OwnRedis.withoutPersistence(); TestDatabase db = TestDatabase.connect();
                // First: its start migrates the database the test then writes to.
                ServiceProcess api = SystemStack.startApi(SystemStack.API_PORT, Map.of("quarkus.redis.hosts", redis.url()))) {
            long saleId = db.insertLiveSale(STOCK, 1);
            List<Long> shoppers = db.insertShoppers(SHOPPERS);
            Map<Long, String> tokens = shoppers.stream().collect(Collectors.toMap(id -> id, minter::shopper));
            try (SaleLedger ledger = new SaleLedger(redis, saleId)) {
                ledger.setHoldSeconds(HOLD_SECONDS);
                long adminId = db.insertAdmin();
                PipelineChecks.arm(api.baseUrl(), saleId, minter, adminId);
                Shop shop = new Shop(api.baseUrl(), saleId);

                List<Shop.Answer> first = Shop.all(shoppers, 64, user -> shop.purchase(tokens.get(user), "first-" + user));
                assertEquals(Map.of("202", SHOPPERS), Shop.tally(first), "the first round");
                Map<Long, String> firstOrders = IntStream.range(0, SHOPPERS).boxed()
                        .collect(Collectors.toMap(shoppers::get, i -> first.get(i).orderId()));
                List<ShopperRecord> records = new ArrayList<>();
                record(records, shoppers, first, "first-");
                await().atMost(Duration.ofSeconds(30)).until(ledger::outboxEmpty); // relayed: in RabbitMQ only

                redis.kill9();
                long killedAt = System.nanoTime();
                redis.restart();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .untilAsserted(() -> PipelineChecks.arm(api.baseUrl(), saleId, minter, adminId));
                assertTrue(ledger.recovering(), "re-armed after the loss, the sale is recovering");

                // The 150 orders are still in RabbitMQ (no worker yet): nothing may be sold or replayed now.
                List<Shop.Answer> during = Shop.all(shoppers, 64, user -> shop.purchase(tokens.get(user), null));
                assertEquals(Map.of("503 sale-recovering", SHOPPERS), Shop.tally(during), "purchases while recovering");
                assertEquals("1", during.getFirst().retryAfter());
                Shop.Answer keyedDuring = shop.purchase(tokens.get(shoppers.getFirst()), "first-" + shoppers.getFirst());
                assertEquals("sale-recovering", keyedDuring.problem());
                record(records, shoppers, during, "during-");

                try (ServiceProcess worker = SystemStack.startWorker(Map.of("quarkus.redis.hosts", redis.url()))) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> !ledger.recovering());
                    long recoveryMs = (System.nanoTime() - killedAt) / 1_000_000;
                    // At once: the orders MySQL had when the sale was rebuilt, and those the worker had taken
                    // from the queue but not written yet (it noted them in the sale), are all counted.
                    assertEquals(Map.of("PENDING", SHOPPERS), ledger.holdsInRedis(), "the holds are back");
                    assertEquals(STOCK - SHOPPERS, ledger.stockInRedis(), "the stock is back");
                    await().atMost(Duration.ofSeconds(30)).until(() -> db.orderCount(saleId) == SHOPPERS);
                    assertEquals(SHOPPERS, ledger.ordersWithIdempotencyKey(), "each order with its Idempotency-Key");

                    List<Shop.Answer> second = Shop.all(shoppers, 64, user -> shop.purchase(tokens.get(user), null));
                    assertEquals(Map.of("409 limit-reached", SHOPPERS), Shop.tally(second), "the second round: limit 1 holds");
                    record(records, shoppers, second, "second-");

                    long replayer = shoppers.get(0);
                    Shop.Answer replay = shop.purchase(tokens.get(replayer), "first-" + replayer);
                    assertEquals(202, replay.status(), "a keyed retry of a first-round purchase: " + replay);
                    assertEquals(firstOrders.get(replayer), replay.orderId(), "it answers the first order, not a second one");
                    records.add(ShopperRecord.replay(replayer, "first-" + replayer, replay.recorded(), replay.orderId()));

                    long payer = shoppers.get(1);
                    Shop.Answer paid = shop.pay(tokens.get(payer), firstOrders.get(payer));
                    assertEquals(200, paid.status(), "paying a first-round order: " + paid);
                    records.add(ShopperRecord.pay(payer, "pay-" + firstOrders.get(payer), "200", firstOrders.get(payer),
                            paid.paymentId()));
                    await().atMost(Duration.ofSeconds(30)).until(() -> "PAID".equals(ledger.statusOf(firstOrders.get(payer))));
                    ledger.assertBalanced(STOCK, 1, firstOrders.values());

                    // Every unpaid first-round hold expires at its pay-by, in both stores, and its unit returns.
                    await().atMost(Duration.ofSeconds(HOLD_SECONDS + 60)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> Map.of("PAID", 1, "EXPIRED", SHOPPERS - 1).equals(ledger.statusesInMySql())
                                    && ledger.holdsInRedis().getOrDefault("PENDING", 0) == 0);
                    assertEquals(STOCK - 1, ledger.stockInRedis(), "the expired holds' units are back");
                    long rebuyer = shoppers.get(2);
                    Shop.Answer again = shop.purchase(tokens.get(rebuyer), null);
                    assertEquals(202, again.status(), "an expired hold frees the shopper's allowance: " + again);
                    records.add(again.asPurchase(rebuyer, "rebuy-" + rebuyer));

                    Set<String> acknowledged = new java.util.HashSet<>(firstOrders.values());
                    acknowledged.add(again.orderId());
                    await().atMost(Duration.ofSeconds(30)).until(() -> db.orderCount(saleId) == SHOPPERS + 1);
                    ledger.assertBalanced(STOCK, 1, acknowledged);
                    InvariantChecker.Verdict verdict = checker(redis, saleId, STOCK, 1).check(records);
                    assertTrue(verdict.passed(), verdict.report());
                    System.out.printf("empty restart: %s; sale rebuilt %d ms after the kill%n", verdict.summary(), recoveryMs);
                }
            }
        }
    }

    /**
     * An AOF Redis (appendfsync always) killed -9 in the middle of a purchase storm and restarted from
     * its file: nothing acknowledged is lost, nothing is sold twice.
     */
    @Test
    void anAppendOnlyRedisKilledMidStormLosesNothingAcknowledged() throws Exception {
        int stock = 300;
        int limit = 2;
        SessionTokens minter = SystemStack.tokens();
        try (OwnRedis redis = OwnRedis.withAppendOnlyFile(); TestDatabase db = TestDatabase.connect();
                ServiceProcess api = SystemStack.startApi(SystemStack.API_PORT, Map.of("quarkus.redis.hosts", redis.url()));
                ServiceProcess worker = SystemStack.startWorker(Map.of("quarkus.redis.hosts", redis.url()))) {
            long saleId = db.insertLiveSale(stock, limit);
            List<Long> shoppers = db.insertShoppers(200);
            try (SaleLedger ledger = new SaleLedger(redis, saleId)) {
                PipelineChecks.arm(api.baseUrl(), saleId, minter, db.insertAdmin());
                Shop shop = new Shop(api.baseUrl(), saleId);
                Map<Long, String> tokens = shoppers.stream().collect(Collectors.toMap(id -> id, minter::shopper));
                // Three keyed attempts per shopper, interleaved so every shopper is active throughout.
                List<String> keys = IntStream.range(0, 3).boxed()
                        .flatMap(n -> shoppers.stream().map(user -> user + "/aof-" + user + "-" + n)).toList();
                CompletableFuture<List<Shop.Answer>> buying = CompletableFuture.supplyAsync(() -> {
                    try {
                        // A 503 while Redis is away is retried after its Retry-After, as a browser does: without
                        // that, fast refusals would drain every attempt before the restart.
                        return Shop.all(keys, 32, key -> shop.purchaseHonouringRetryAfter(tokens.get(userOf(key)),
                                key.substring(key.indexOf('/') + 1), Duration.ofSeconds(30)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> shop.accepted.get() >= 60);
                redis.kill9();
                int acknowledgedAtKill = shop.accepted.get();
                long killedAt = System.nanoTime();
                Thread.sleep(1000);
                redis.restart();
                long restartedMs = (System.nanoTime() - killedAt) / 1_000_000;
                List<Shop.Answer> answers = buying.get();
                List<ShopperRecord> records = new ArrayList<>();
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.get(i);
                    records.add(answers.get(i).asPurchase(userOf(key), key.substring(key.indexOf('/') + 1)));
                    if (answers.get(i).accepted()) {
                        acknowledged.add(answers.get(i).orderId());
                    }
                }
                Map<String, Integer> tally = Shop.tally(answers);
                assertTrue(acknowledged.size() > acknowledgedAtKill, "the storm went on after the restart: " + tally);
                assertTrue(!tally.containsKey("503 store-unavailable"), "every shopper got through once Redis was back: " + tally);

                await().atMost(Duration.ofSeconds(60)).until(() -> ledger.outboxEmpty() && db.orderCount(saleId) >= acknowledged.size());
                InvariantChecker.Verdict verdict = checker(redis, saleId, stock, limit).awaitConsistent(records, Duration.ofSeconds(30));
                assertTrue(verdict.passed(), verdict.report());
                ledger.assertBalanced(stock, limit, acknowledged);
                System.out.printf("AOF restart: %s (%d acknowledged before the kill); Redis back %d ms after the kill;"
                        + " answers %s%n", verdict.summary(), acknowledgedAtKill, restartedMs, tally);
            }
        }
    }

    private static long userOf(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('/')));
    }

    private static void record(List<ShopperRecord> records, List<Long> shoppers, List<Shop.Answer> answers, String keyPrefix) {
        for (int i = 0; i < shoppers.size(); i++) {
            records.add(answers.get(i).asPurchase(shoppers.get(i), keyPrefix + shoppers.get(i)));
        }
    }

    /** The chaos suite's one checker, on this test's own Redis. */
    private static InvariantChecker checker(OwnRedis redis, long saleId, int stock, int limit) {
        return new InvariantChecker(new InvariantChecker.Target(TestDatabase.URL, "miaosha", "miaosha", "127.0.0.1",
                redis.port(), "0", saleId, stock, limit));
    }
}
