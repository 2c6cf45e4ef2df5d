package io.miaosha.api.purchase;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.miaosha.api.testing.TestUser;
import io.miaosha.api.testing.TestUsers;
import io.miaosha.common.order.OrderChannels;
import io.miaosha.testsupport.Broker;
import io.miaosha.testsupport.TestStores;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Invariants 1 and 2 under a crowd: 2,400 purchase attempts by 600 shoppers over real HTTP, up to
 * 256 in flight at once, on a sale of 100 units with a limit of 2. Exactly the stock is held, no
 * shopper above the limit, and every accepted answer is one hold and one published order message.
 * (That the pipeline then writes exactly these rows to MySQL is the order-worker's system test.)
 */
@QuarkusTest
class PurchaseStormTest {

    private static final int STOCK = 100;
    private static final int LIMIT = 2;
    private static final int SHOPPERS = 600;
    private static final int ATTEMPTS = 2_400;
    private static final int IN_FLIGHT = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestUsers users;
    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @TestHTTPResource("/api/sales/")
    URI salesUri;

    record Answer(long userId, int quantity, int status, JsonNode body) {
    }

    @Test
    void crowdOfShoppersGetsExactlyTheStockAndNoShopperExceedsTheLimit() throws Exception {
        long saleId = sales.live(STOCK, LIMIT);
        List<TestUser> shoppers = users.shoppers(SHOPPERS);
        URI purchase = salesUri.resolve(saleId + "/purchase");

        List<Answer> answers;
        try (Broker.Tap messages = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY)) {
            answers = storm(shoppers, purchase);

            Map<Integer, Long> statuses = new HashMap<>();
            answers.forEach(a -> statuses.merge(a.status(), 1L, Long::sum));
            assertEquals(ATTEMPTS, answers.size());
            assertTrue(Set.of(202, 409).containsAll(statuses.keySet()), "only accepted or conflict: " + statuses);
            List<Answer> accepted = answers.stream().filter(a -> a.status() == 202).toList();

            // Redis: exactly the stock is held, by the shoppers who were told so, within the limit.
            assertEquals(0, stores.stock(saleId));
            Map<String, String> units = stores.userUnits(saleId);
            assertEquals(STOCK, units.values().stream().mapToInt(Integer::parseInt).sum());
            assertTrue(units.values().stream().allMatch(u -> Integer.parseInt(u) <= LIMIT), "someone above the limit: " + units);
            Map<String, String> holds = stores.holds(saleId);
            assertEquals(accepted.size(), holds.size(), "one hold per 202");
            assertEquals(STOCK, holds.values().stream().mapToInt(h -> Integer.parseInt(h.split("\\|")[1])).sum());
            assertEquals(accepted.size(), stores.holdDeadlines(saleId));
            assertEquals(accepted.size(), stores.outboxEntriesAdded(saleId), "one outbox entry per 202");
            Map<String, Integer> heldPerUser = new HashMap<>();
            for (Answer answer : accepted) {
                String hold = holds.get(answer.body().get("orderId").asText());
                assertEquals(answer.userId() + "|" + answer.quantity(), hold.substring(0, hold.indexOf('|', hold.indexOf('|') + 1)),
                        "the hold matches the answer");
                heldPerUser.merge(Long.toString(answer.userId()), answer.quantity(), Integer::sum);
            }
            assertEquals(heldPerUser, units.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    Map.Entry::getKey, e -> Integer.parseInt(e.getValue()))));
            for (Answer refused : answers.stream().filter(a -> a.status() == 409).toList()) {
                String type = refused.body().get("type").asText();
                assertTrue(type.endsWith("/sold-out") || type.endsWith("/not-enough-stock") || type.endsWith("/limit-reached"), type);
            }

            // The relay: every accepted order published, then acknowledged and deleted from the stream.
            Set<String> acceptedIds = new HashSet<>();
            accepted.forEach(a -> acceptedIds.add(a.body().get("orderId").asText()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertEquals(0, stores.outboxLength(saleId));
                assertEquals(0, stores.outboxPending(saleId));
                Set<String> published = new HashSet<>();
                messages.forSale(saleId).forEach(m -> published.add(m.json().get("orderId").asText()));
                assertEquals(acceptedIds, published);
            });
        }
    }

    private List<Answer> storm(List<TestUser> shoppers, URI purchase) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(10)).build();
        // Every shopper tries at least once; the rest of the crowd is random shoppers retrying.
        List<TestUser> crowd = new ArrayList<>(shoppers);
        while (crowd.size() < ATTEMPTS) {
            crowd.add(shoppers.get(ThreadLocalRandom.current().nextInt(shoppers.size())));
        }
        Collections.shuffle(crowd);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<String, Throwable> failures = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> pending = new ArrayList<>(ATTEMPTS);
        for (TestUser shopper : crowd) {
            int quantity = 1 + ThreadLocalRandom.current().nextInt(2);
            HttpRequest request = HttpRequest.newBuilder(purchase).timeout(Duration.ofSeconds(30))
                    .header("Authorization", shopper.bearer()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":" + quantity + "}")).build();
            inFlight.acquire();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure != null) {
                            failures.put(shopper.email() + "#" + System.nanoTime(), failure);
                            return;
                        }
                        try {
                            answers.add(new Answer(shopper.id(), quantity, response.statusCode(), JSON.readTree(response.body())));
                        } catch (Exception e) {
                            failures.put("unreadable " + response.statusCode() + " " + response.body(), e);
                        }
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((ok, e) -> null).get(120, TimeUnit.SECONDS);
        assertTrue(failures.isEmpty(), "requests failed: " + failures.keySet());
        return new ArrayList<>(answers);
    }
}
