package io.miaosha.api.payment.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for the two Stripe endpoints the adapter calls, serving the shapes of Stripe's
 * API reference (Stripe cannot be reached from the test machines):
 * <ul>
 * <li>{@code POST /v1/payment_intents} (form-encoded; with {@code confirm=true} it creates and
 * confirms): 200 with a PaymentIntent object ({@code status=succeeded}) for the test PaymentMethods
 * pm_card_visa and pm_card_mastercard; 402 {@code card_error} with {@code code=card_declined} and a
 * {@code decline_code} for pm_card_chargeDeclined (generic_decline) and
 * pm_card_chargeDeclinedInsufficientFunds (insufficient_funds); 402 {@code card_error} with
 * {@code code=authentication_required} for pm_card_authenticationRequired (a 3-D Secure card under
 * {@code error_on_requires_action=true}); 400 {@code invalid_request_error}
 * {@code resource_missing} on {@code param=payment_method} for any other pm_ id.</li>
 * <li>{@code POST /v1/refunds} with {@code payment_intent}: 200 with a Refund object.</li>
 * <li>Idempotency as Stripe documents it: the status and body of the first request with a key are
 * saved once the endpoint executes and replayed for every later request with that key (header
 * {@code Idempotent-Replayed: true}), declines included; the same key with other parameters is 400
 * {@code idempotency_error}. Requests refused before executing (401, an injected 503) save nothing.</li>
 * <li>Authentication: {@code Authorization: Bearer <the configured key>}, else 401.</li>
 * </ul>
 * Every request is recorded, so tests assert the idempotency key, amount, currency and metadata
 * the adapter sent. Faults are injected per test: an outage (503s, saving nothing), a response lost
 * after the charge executed (the connection stalls past the client's read timeout), and a pause
 * that holds charges until the test releases them, to stage races.
 */
public final class StripeStub implements AutoCloseable {

    public record Recorded(String method, String path, Map<String, String> headers, Map<String, String> params,
            int status, boolean replayed) {

        public String idempotencyKey() {
            return headers.get("idempotency-key");
        }
    }

    private record Saved(Map<String, String> params, int status, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private volatile String apiKey;
    private final String originalApiKey;
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Saved> saved = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> intents = new ConcurrentHashMap<>();
    private final AtomicInteger outageLeft = new AtomicInteger();
    private final AtomicInteger lostResponsesLeft = new AtomicInteger();
    private final AtomicReference<CountDownLatch> pause = new AtomicReference<>();
    private final AtomicReference<CountDownLatch> paused = new AtomicReference<>();
    private volatile long stallMillis = 1500;

    public StripeStub(String apiKey) throws IOException {
        this.apiKey = apiKey;
        this.originalApiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forgets every request, saved key, object and fault: each test starts from a fresh account. */
    public void reset() {
        requests.clear();
        saved.clear();
        intents.clear();
        outageLeft.set(0);
        lostResponsesLeft.set(0);
        apiKey = originalApiKey;
        release();
    }

    /** The account's key was rolled: the key the API holds is refused with 401 from now on. */
    public void rollApiKey() {
        apiKey = "sk_test_rolled" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The next {@code count} requests answer 503 api_error before executing (nothing saved). */
    public void outage(int count) {
        outageLeft.set(count);
    }

    /**
     * The next {@code count} PaymentIntent requests execute and save their result, but the answer
     * never arrives: the connection stalls longer than the client's read timeout.
     */
    public void loseResponses(int count, long stallMillis) {
        this.stallMillis = stallMillis;
        lostResponsesLeft.set(count);
    }

    /** PaymentIntent requests wait (after executing) until {@link #release()}. */
    public void pauseCharges() {
        paused.set(new CountDownLatch(1));
        pause.set(new CountDownLatch(1));
    }

    /** Waits until a paused charge has executed and is being held. */
    public void awaitPausedCharge() throws InterruptedException {
        if (!paused.get().await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no charge reached the Stripe stub");
        }
    }

    public void release() {
        CountDownLatch latch = pause.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    public List<Recorded> requests(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    public List<Recorded> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** PaymentIntents created (executed once each, however often their key was replayed). */
    public int paymentIntentsCreated() {
        return intents.size();
    }

    /** Refunds executed (once each, however often their key was replayed). */
    public long refundsCreated() {
        return saved.entrySet().stream().filter(e -> e.getKey().startsWith("/v1/refunds|") && e.getValue().status() == 200)
                .count();
    }

    /** Ids of the PaymentIntents that succeeded: the money actually taken. */
    public List<String> succeededPaymentIntents() {
        return intents.values().stream().filter(intent -> "succeeded".equals(intent.get("status")))
                .map(intent -> (String) intent.get("id")).toList();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            Map<String, String> params = form(exchange.getRequestBody());
            String key = headers.get("idempotency-key");

            if (!("Bearer " + apiKey).equals(headers.get("authorization"))) {
                answer(exchange, record(exchange, path, headers, params, 401, false), error("invalid_request_error",
                        null, null, null, "Invalid API Key provided."), false);
                return;
            }
            if (outageLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answer(exchange, record(exchange, path, headers, params, 503, false),
                        error("api_error", null, null, null, "The service is temporarily unavailable."), false);
                return;
            }
            String savedKey = path + "|" + key;
            if (key != null && saved.containsKey(savedKey)) {
                Saved earlier = saved.get(savedKey);
                if (!earlier.params().equals(params)) {
                    answer(exchange, record(exchange, path, headers, params, 400, false), error("idempotency_error",
                            null, null, null, "Keys for idempotent requests can only be used with the same parameters"
                                    + " they were first used with."), false);
                    return;
                }
                answer(exchange, record(exchange, path, headers, params, earlier.status(), true), earlier.body(), true);
                return;
            }
            Saved result = switch (path) {
                case "/v1/payment_intents" -> createPaymentIntent(params);
                case "/v1/refunds" -> createRefund(params);
                default -> new Saved(params, 404, error("invalid_request_error", "resource_missing", null, null,
                        "Unrecognized request URL (POST: " + path + ")."));
            };
            if (key != null) {
                saved.put(savedKey, result);
            }
            record(exchange, path, headers, params, result.status(), false);
            if (path.equals("/v1/payment_intents")) {
                hold();
                if (lostResponsesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    sleep(stallMillis);
                    return;
                }
            }
            answer(exchange, result.status(), result.body(), false);
        }
    }

    private Saved createPaymentIntent(Map<String, String> params) {
        String paymentMethod = params.get("payment_method");
        String id = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Map<String, Object> intent = new LinkedHashMap<>();
        intent.put("id", id);
        intent.put("object", "payment_intent");
        intent.put("amount", Long.parseLong(params.get("amount")));
        intent.put("currency", params.get("currency"));
        intent.put("confirmation_method", "automatic");
        intent.put("payment_method", paymentMethod);
        intent.put("payment_method_types", List.of("card"));
        intent.put("description", params.get("description"));
        intent.put("metadata", metadata(params));
        intent.put("livemode", false);
        String decline = switch (Objects.toString(paymentMethod, "")) {
            case "pm_card_visa", "pm_card_mastercard" -> null;
            case "pm_card_chargeDeclined" -> "generic_decline";
            case "pm_card_chargeDeclinedInsufficientFunds" -> "insufficient_funds";
            case "pm_card_authenticationRequired" -> "authentication_required";
            default -> "no_such_payment_method";
        };
        if ("no_such_payment_method".equals(decline)) {
            return new Saved(params, 400, error("invalid_request_error", "resource_missing", null, "payment_method",
                    "No such PaymentMethod: '" + paymentMethod + "'"));
        }
        intents.put(id, intent);
        if ("authentication_required".equals(decline)) {
            // error_on_requires_action=true: a card that needs 3-D Secure fails instead of waiting for the shopper.
            intent.put("status", "requires_payment_method");
            Map<String, Object> body = errorObject("card_error", "authentication_required", null, null,
                    "Your card was declined. This transaction requires authentication.");
            body.put("payment_intent", intent);
            return new Saved(params, 402, json(Map.of("error", body)));
        }
        if (decline != null) {
            intent.put("status", "requires_payment_method");
            Map<String, Object> body = errorObject("card_error", "card_declined", decline, null, "Your card was declined.");
            body.put("payment_intent", intent);
            return new Saved(params, 402, json(Map.of("error", body)));
        }
        String charge = "ch_" + id.substring(3);
        intent.put("status", "succeeded");
        intent.put("amount_received", intent.get("amount"));
        intent.put("latest_charge", charge);
        return new Saved(params, 200, json(intent));
    }

    private Saved createRefund(Map<String, String> params) {
        Map<String, Object> intent = intents.get(params.get("payment_intent"));
        if (intent == null || !"succeeded".equals(intent.get("status"))) {
            return new Saved(params, 400, error("invalid_request_error", "resource_missing", null, "payment_intent",
                    "No such payment_intent: '" + params.get("payment_intent") + "'"));
        }
        Map<String, Object> refund = new LinkedHashMap<>();
        refund.put("id", "re_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        refund.put("object", "refund");
        refund.put("amount", intent.get("amount"));
        refund.put("currency", intent.get("currency"));
        refund.put("charge", intent.get("latest_charge"));
        refund.put("payment_intent", intent.get("id"));
        refund.put("reason", params.get("reason"));
        refund.put("metadata", metadata(params));
        refund.put("status", "succeeded");
        return new Saved(params, 200, json(refund));
    }

    private void hold() {
        CountDownLatch latch = pause.get();
        if (latch != null) {
            paused.get().countDown();
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int record(HttpExchange exchange, String path, Map<String, String> headers, Map<String, String> params,
            int status, boolean replayed) {
        requests.add(new Recorded(exchange.getRequestMethod(), path, headers, params, status, replayed));
        return status;
    }

    private static void answer(HttpExchange exchange, int status, String body, boolean replayed) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14));
        if (replayed) {
            exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> metadata(Map<String, String> params) {
        Map<String, String> metadata = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                metadata.put(name.substring("metadata[".length(), name.length() - 1), value);
            }
        });
        return metadata;
    }

    private static String error(String type, String code, String declineCode, String param, String message) {
        return json(Map.of("error", errorObject(type, code, declineCode, param, message)));
    }

    private static Map<String, Object> errorObject(String type, String code, String declineCode, String param,
            String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        if (declineCode != null) {
            error.put("decline_code", declineCode);
        }
        if (param != null) {
            error.put("param", param);
        }
        error.put("message", message);
        return error;
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return params;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
