package io.miaosha.api.seating;

import static io.miaosha.api.seating.SeatedSaleFixture.area;
import static io.miaosha.api.seating.SeatedSaleFixture.gridVenue;
import static io.miaosha.api.seating.SeatedSaleFixture.liveSale;
import static io.miaosha.api.seating.SeatedSaleFixture.seatIds;
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
import io.miaosha.common.sale.SaleKeys;
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
 * 2,000 seat picks by 500 shoppers over real HTTP, up to 256 in flight, for 100 seats (10 rows of 10)
 * with a limit of 4: runs of 1 to 3 adjacent seats that overlap, and some best-available picks. Each
 * seat is held by at most one order, the seat map shows exactly the held seats, nobody holds more than
 * 4, and every 202 is one hold and one published order naming exactly its seats.
 */
@QuarkusTest
class SeatPickStormTest {

    private static final int ROWS = 10;
    private static final int PER_ROW = 10;
    private static final int LIMIT = 4;
    private static final int SHOPPERS = 500;
    private static final int ATTEMPTS = 2_000;
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

    record Answer(long userId, String body, int status, JsonNode json) {
    }

    @Test
    void crowdPickingOverlappingSeatsHoldsEachSeatOnceWithinTheLimit() throws Exception {
        TestUser admin = users.admin();
        long saleId = liveSale(admin, sales, gridVenue(admin, List.of(area("Floor", ROWS, PER_ROW))), Map.of("Floor", 2500L), LIMIT);
        List<Long> ids = seatIds(saleId);
        List<TestUser> shoppers = users.shoppers(SHOPPERS);

        try (Broker.Tap messages = Broker.orders(TestStores.API_VHOST, OrderChannels.ORDER_PLACED_ROUTING_KEY)) {
            List<Answer> answers = storm(shoppers, ids, salesUri.resolve(saleId + "/seats/pick"));

            Map<Integer, Long> statuses = new HashMap<>();
            answers.forEach(a -> statuses.merge(a.status(), 1L, Long::sum));
            assertEquals(ATTEMPTS, answers.size());
            assertTrue(Set.of(202, 409).containsAll(statuses.keySet()), "only accepted or conflict: " + statuses);
            List<Answer> accepted = answers.stream().filter(a -> a.status() == 202).toList();

            // Each seat at most once, and the seat map shows exactly the seats the 202s hold.
            Map<Integer, String> holderOfSeat = new HashMap<>();
            Map<Long, Integer> seatsPerUser = new HashMap<>();
            Map<String, List<Integer>> seatsOfOrder = new HashMap<>();
            for (Answer answer : accepted) {
                String orderId = answer.json().get("orderId").asText();
                List<Integer> positions = new ArrayList<>();
                answer.json().get("seats").forEach(seat -> positions.add(seat.get("position").asInt()));
                for (int position : positions) {
                    String earlier = holderOfSeat.put(position, orderId);
                    assertTrue(earlier == null, "seat " + position + " held by " + earlier + " and " + orderId);
                }
                seatsOfOrder.put(orderId, positions);
                seatsPerUser.merge(answer.userId(), positions.size(), Integer::sum);
                assertEquals(2500L * positions.size(), answer.json().get("amountMinor").asLong());
            }
            String states = stores.redis().value(String.class).get(new SaleKeys(saleId).seats());
            for (int p = 0; p < ROWS * PER_ROW; p++) {
                assertEquals(holderOfSeat.containsKey(p) ? '1' : '0', states.charAt(p), "seat " + p);
            }
            assertEquals(ROWS * PER_ROW - holderOfSeat.size(), stores.stock(saleId));
            assertTrue(seatsPerUser.values().stream().allMatch(n -> n <= LIMIT), "someone above the limit: " + seatsPerUser);
            Map<String, String> units = stores.userUnits(saleId);
            assertEquals(seatsPerUser.size(), units.size());
            seatsPerUser.forEach((user, n) -> assertEquals(Integer.toString(n), units.get(Long.toString(user))));
            assertEquals(accepted.size(), stores.holds(saleId).size(), "one hold per 202");
            assertEquals(accepted.size(), stores.outboxEntriesAdded(saleId), "one outbox entry per 202");

            // A refused pick names seats that were really gone, or says why else it was refused.
            for (Answer refused : answers.stream().filter(a -> a.status() == 409).toList()) {
                String type = refused.json().get("type").asText();
                assertTrue(type.endsWith("/seats-taken") || type.endsWith("/sold-out") || type.endsWith("/limit-reached")
                        || type.endsWith("/not-enough-seats") || type.endsWith("/not-enough-stock"), type);
                if (type.endsWith("/seats-taken")) {
                    refused.json().get("seats").forEach(seat -> assertTrue(
                            holderOfSeat.containsKey(seat.get("position").asInt()), "named a free seat: " + refused.json()));
                }
            }
            assertTrue(holderOfSeat.size() > 50, "the crowd held most seats: " + holderOfSeat.size());

            // Every accepted pick published once, with exactly its seats.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertEquals(0, stores.outboxLength(saleId));
                Map<String, List<Integer>> published = new HashMap<>();
                messages.forSale(saleId).forEach(m -> {
                    List<Integer> positions = new ArrayList<>();
                    m.json().get("seatPositions").forEach(p -> positions.add(p.asInt()));
                    published.put(m.json().get("orderId").asText(), positions);
                });
                assertEquals(seatsOfOrder, published);
            });
        }
    }

    private List<Answer> storm(List<TestUser> shoppers, List<Long> ids, URI pick) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(10)).build();
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
            String body = body(ids);
            HttpRequest request = HttpRequest.newBuilder(pick).timeout(Duration.ofSeconds(30))
                    .header("Authorization", shopper.bearer()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            inFlight.acquire();
            pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        if (failure != null) {
                            failures.put(shopper.email() + "#" + System.nanoTime(), failure);
                            return;
                        }
                        try {
                            answers.add(new Answer(shopper.id(), body, response.statusCode(), JSON.readTree(response.body())));
                        } catch (Exception e) {
                            failures.put("unreadable " + response.statusCode() + " " + response.body(), e);
                        }
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((ok, e) -> null).get(120, TimeUnit.SECONDS);
        assertTrue(failures.isEmpty(), "requests failed: " + failures.keySet());
        return new ArrayList<>(answers);
    }

    /** Mostly 1 to 3 adjacent seats from a random place in a random row (so picks overlap); some best-available. */
    private static String body(List<Long> ids) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int count = 1 + random.nextInt(3);
        if (random.nextInt(5) == 0) {
            return "{\"area\":\"Floor\",\"count\":" + count + "}";
        }
        int row = random.nextInt(ROWS);
        int first = random.nextInt(PER_ROW - count + 1);
        List<Long> seats = new ArrayList<>();
        for (int s = first; s < first + count; s++) {
            seats.add(ids.get(row * PER_ROW + s));
        }
        return "{\"seats\":" + seats + "}";
    }
}
