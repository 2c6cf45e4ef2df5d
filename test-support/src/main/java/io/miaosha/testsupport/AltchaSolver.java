package io.miaosha.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scripted client does to join a waiting room: fetches the sale's ALTCHA challenge from the
 * gateway ({@code GET /ws/sales/{id}/challenge}), finds the number by brute force as the browser
 * widget does (SHA-256 of salt + number, from 0 up), and sends the widget's payload (base64 JSON)
 * as the socket's {@code altcha} query parameter. Honest work, no shortcut: the tests pay what a bot would.
 */
public final class AltchaSolver {

    private static final Pattern FIELD = Pattern.compile("\"(algorithm|challenge|salt|signature)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern MAX_NUMBER = Pattern.compile("\"maxnumber\"\\s*:\\s*(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A challenge as the gateway sends it. */
    public record Challenge(String algorithm, String challenge, long maxNumber, String salt, String signature) {

        public static Challenge parse(String json) {
            String algorithm = null, challenge = null, salt = null, signature = null;
            Matcher field = FIELD.matcher(json);
            while (field.find()) {
                String value = field.group(2).replace("\\/", "/");
                switch (field.group(1)) {
                    case "algorithm" -> algorithm = value;
                    case "challenge" -> challenge = value;
                    case "salt" -> salt = value;
                    default -> signature = value;
                }
            }
            Matcher max = MAX_NUMBER.matcher(json);
            if (challenge == null || salt == null || signature == null || !max.find()) {
                throw new IllegalArgumentException("not an ALTCHA challenge: " + json);
            }
            return new Challenge(algorithm, challenge, Long.parseLong(max.group(1)), salt, signature);
        }
    }

    /** A solution: the widget's payload (base64 JSON), the number found and how many hashes it took. */
    public record Solution(String payload, long number, long hashes, long tookMs) {
    }

    private AltchaSolver() {
    }

    /** The challenge's address on a gateway. */
    public static URI challengeUri(String host, int port, long saleId) {
        return URI.create("http://" + host + ":" + port + "/ws/sales/" + saleId + "/challenge");
    }

    /** Fetches a challenge (blocking). */
    public static Challenge fetch(URI challengeUri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(challengeUri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("challenge: HTTP " + response.statusCode() + " " + response.body());
            }
            return Challenge.parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fetches and solves, off the caller's thread: for clients on an event loop. At most
     * {@value #IN_FLIGHT} fetches at once, so that thousands of clients opening together reuse a few
     * kept-alive connections instead of a local port each (the sockets need theirs).
     */
    public static CompletableFuture<String> solveAsync(URI challengeUri) {
        return CompletableFuture.runAsync(FETCHES::acquireUninterruptibly, SOLVERS)
                .thenCompose(ready -> HTTP.sendAsync(HttpRequest.newBuilder(challengeUri).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> FETCHES.release()))
                .thenApplyAsync(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("challenge: HTTP " + response.statusCode() + " " + response.body());
                    }
                    return solve(Challenge.parse(response.body())).payload();
                }, SOLVERS);
    }

    private static final int IN_FLIGHT = 16;
    private static final java.util.concurrent.Semaphore FETCHES = new java.util.concurrent.Semaphore(IN_FLIGHT);
    /** Where the waiting for a fetch and the solving happen: never on the caller's (event-loop) thread. */
    private static final java.util.concurrent.ExecutorService SOLVERS = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), task -> {
                Thread thread = new Thread(task, "altcha-solver");
                thread.setDaemon(true);
                return thread;
            });

    /** Fetches and solves (blocking): the payload for the socket's {@code altcha} parameter. */
    public static String fetchAndSolve(URI challengeUri) {
        return solve(fetch(challengeUri)).payload();
    }

    /** The query string that carries a payload: {@code ?altcha=...}, percent-encoded. */
    public static String query(String payload) {
        return "?altcha=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }

    /** Tries 0, 1, 2, ... up to the challenge's maxnumber, like the widget. */
    public static Solution solve(Challenge challenge) {
        long start = System.nanoTime();
        MessageDigest sha256 = sha256();
        byte[] target = HexFormat.of().parseHex(challenge.challenge());
        byte[] salt = challenge.salt().getBytes(StandardCharsets.UTF_8);
        for (long n = 0; n <= challenge.maxNumber(); n++) {
            sha256.update(salt);
            if (MessageDigest.isEqual(sha256.digest(Long.toString(n).getBytes(StandardCharsets.US_ASCII)), target)) {
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                return new Solution(payload(challenge, n, tookMs), n, n + 1, tookMs);
            }
        }
        throw new IllegalStateException("no number up to " + challenge.maxNumber() + " solves " + challenge.challenge());
    }

    /** The payload the widget sends for a number, right or wrong (tests forge with it). */
    public static String payload(Challenge challenge, long number, long tookMs) {
        String json = "{\"algorithm\":\"" + challenge.algorithm() + "\",\"challenge\":\"" + challenge.challenge()
                + "\",\"number\":" + number + ",\"salt\":\"" + challenge.salt().replace("\"", "\\\"")
                + "\",\"signature\":\"" + challenge.signature() + "\",\"took\":" + tookMs + "}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
