package io.miaosha.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What the system tests share: arming a sale, minting shoppers, and the exactly-once verdict. */
final class PipelineChecks {

    private PipelineChecks() {
    }

    static void arm(String apiBaseUrl, long saleId, SessionTokens tokens, long adminId) throws Exception {
        HttpRequest arm = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/api/admin/sales/" + saleId + "/arm"))
                .header("Authorization", "Bearer " + tokens.admin(adminId))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(arm, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "arming sale " + saleId + ": " + response.body());
    }

    /** {@code attemptsPerShopper} tokens for each shopper, interleaved so every shopper is active throughout. */
    static List<String> attempts(List<Long> shoppers, int attemptsPerShopper, SessionTokens minter) {
        List<String> tokens = shoppers.stream().map(minter::shopper).toList();
        return IntStream.range(0, attemptsPerShopper * tokens.size()).mapToObj(i -> tokens.get(i % tokens.size())).toList();
    }

    /**
     * Waits for the pipeline to drain, then asserts that MySQL holds exactly one row (and one
     * status-history row) per hold recorded in Redis, that every order a shopper was told about is
     * among them, and that their units add up to what left the stock.
     */
    static void assertEveryOrderOnceInMySql(TestDatabase db, long saleId, int initialStock, Collection<String> acceptedIds)
            throws Exception {
        long holds = SystemStack.holdsInRedis(saleId);
        assertTrue(holds >= acceptedIds.size(), "Redis holds " + holds + " < accepted " + acceptedIds.size());
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> db.orderCount(saleId) >= holds);
        Thread.sleep(1000); // anything still redelivered after the drain would show up as an extra row now
        List<TestDatabase.OrderRow> rows = db.ordersOfSale(saleId);
        assertEquals(holds, rows.size(), "order rows in MySQL vs holds in Redis");
        Set<String> ids = rows.stream().map(TestDatabase.OrderRow::id).collect(Collectors.toSet());
        assertTrue(ids.containsAll(acceptedIds), "every accepted order id is in MySQL");
        assertEquals(holds, db.historyCount(saleId), "one status-history row per order");
        long units = rows.stream().mapToLong(TestDatabase.OrderRow::quantity).sum();
        assertEquals(initialStock - SystemStack.stockInRedis(saleId), units, "units in MySQL vs units gone from stock");
    }
}
