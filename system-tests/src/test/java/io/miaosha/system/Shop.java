package io.miaosha.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.testsupport.chaos.ShopperRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/** One shopper's calls over real HTTP, and many shoppers' at once; every answer is kept with its problem type. */
final class Shop {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One answer: its status, the order id (and pay-by, payment id) of a 202 or 200, the problem type's
     * last segment otherwise; status -1 when no answer came.
     */
    record Answer(int status, String orderId, String problem, String retryAfter, Long payByMs, String paymentId) {
        boolean accepted() {
            return status == 202;
        }

        /** The status as the chaos suite's shopper records write it ("none" for no answer). */
        String recorded() {
            return status < 0 ? ShopperRecord.NONE : Integer.toString(status);
        }

        ShopperRecord asPurchase(long userId, String key) {
            return ShopperRecord.purchase(userId, key, recorded(), orderId, payByMs);
        }
    }

    /** 202s answered so far by this shop, for a test that injects its fault after a number of them. */
    final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final long saleId;

    Shop(String baseUrl, long saleId) {
        this.baseUrl = baseUrl;
        this.saleId = saleId;
    }

    /** A purchase of one unit, with this Idempotency-Key (none when null). */
    Answer purchase(String token, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/sales/" + saleId + "/purchase"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}"));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    /**
     * A keyed purchase sent again, as a shopper's browser does, while the answer is a 503 with a Retry-After
     * (the store is away or the sale is recovering), until {@code patience} has passed; the last answer.
     */
    Answer purchaseHonouringRetryAfter(String token, String idempotencyKey, Duration patience) {
        long giveUpAt = System.nanoTime() + patience.toNanos();
        Answer answer = purchase(token, idempotencyKey);
        while (answer.status() == 503 && answer.retryAfter() != null && System.nanoTime() < giveUpAt) {
            try {
                Thread.sleep(Duration.ofSeconds(Long.parseLong(answer.retryAfter())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = purchase(token, idempotencyKey);
        }
        return answer;
    }

    /** Pays an order with the test provider's approved card. */
    Answer pay(String token, String orderId) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/orders/" + orderId + "/pay"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "pay-" + orderId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"cardNumber\":\"4242424242424242\"}")).build());
    }

    /** Every shopper's call at once ({@code concurrency} in flight); the answers in the shoppers' order. */
    static <T> List<Answer> all(List<T> shoppers, int concurrency, Function<T, Answer> call) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> answers = shoppers.stream().map(shopper -> threads.submit(() -> {
                inFlight.acquire();
                try {
                    return call.apply(shopper);
                } finally {
                    inFlight.release();
                }
            })).toList();
            List<Answer> result = new java.util.ArrayList<>();
            for (Future<Answer> answer : answers) {
                result.add(answer.get());
            }
            return result;
        }
    }

    /** How many answers had each status ("503 sale-recovering" style keys for problems). */
    static Map<String, Integer> tally(List<Answer> answers) {
        Map<String, Integer> tally = new ConcurrentHashMap<>();
        for (Answer answer : answers) {
            tally.merge(answer.status() + (answer.problem() == null ? "" : " " + answer.problem()), 1, Integer::sum);
        }
        return new java.util.TreeMap<>(tally);
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            String type = body.path("type").asText(null);
            String problem = type == null || response.statusCode() < 400 ? null : type.substring(type.lastIndexOf('/') + 1);
            if (response.statusCode() == 202) {
                accepted.incrementAndGet();
            }
            String payBy = body.path("payBy").asText(null);
            return new Answer(response.statusCode(), body.path("orderId").asText(null), problem,
                    response.headers().firstValue("Retry-After").orElse(null),
                    payBy == null ? null : java.time.Instant.parse(payBy).toEpochMilli(), body.path("paymentId").asText(null));
        } catch (IOException e) {
            return new Answer(-1, null, "no-answer: " + e.getMessage(), null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, "interrupted", null, null, null);
        }
    }
}
