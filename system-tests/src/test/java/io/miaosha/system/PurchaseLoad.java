package io.miaosha.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many shoppers buying at once over real HTTP. Every attempt's outcome is kept: accepted order
 * ids, refusals by status, and attempts whose answer was lost (a server killed mid-request).
 */
final class PurchaseLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final long saleId;
    private final AtomicReference<String> target;
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final AtomicInteger lost = new AtomicInteger();

    PurchaseLoad(long saleId, String baseUrl) {
        this.saleId = saleId;
        this.target = new AtomicReference<>(baseUrl);
    }

    /** Later attempts go to another instance, as a load balancer would after one died. */
    void retarget(String baseUrl) {
        target.set(baseUrl);
    }

    /** Runs one attempt per token, {@code concurrency} at a time, and returns when all are answered. */
    void run(List<String> tokens, int concurrency) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String token : tokens) {
                inFlight.acquire();
                threads.submit(() -> {
                    try {
                        attempt(token);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    private void attempt(String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.get() + "/api/sales/" + saleId + "/purchase"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}"))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() == 202) {
                JsonNode body = JSON.readTree(response.body());
                accepted.add(body.path("orderId").asText());
            }
        } catch (IOException e) {
            lost.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
