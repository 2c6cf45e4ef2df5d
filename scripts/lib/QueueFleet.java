import io.miaosha.testsupport.SessionTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shoppers in a waiting room who keep trying through a gateway's death (JDK source launcher, with
 * test-support's classes): each joins the sale's queue over a WebSocket, on the gateways in turn, and
 * whenever its socket closes before it bought, joins again (same session, so the queue knows it) on the
 * next gateway after a short pause, as a client behind a load balancer would; once admitted it buys one unit with the
 * admission token, keyed, over the API URLs in turn (a failed request tried again on the next one).
 *
 * <pre>
 * java -cp "$(test_support_classes)" scripts/lib/QueueFleet.java KEY.pem SALE_ID SHOPPERS_FILE WS_BASE[,WS_BASE...] URL[,URL...] SECONDS
 * </pre>
 * Prints shoppers, bought, admitted (admissions received), reconnects (joins again after an open socket
 * closed), connect-failures, purchase.NNN, unfinished (shoppers who had not bought when SECONDS ran out).
 * With FLEET_STATUS set to a file, it rewrites that file every 100 ms with one "WS_BASE OPEN" line per
 * gateway: the sockets open on it now (so a caller kills a gateway only once shoppers are on it).
 */
public final class QueueFleet {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, AtomicInteger> figures = new ConcurrentHashMap<>();
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final String[] urls;
    private final long saleId;
    private final String[] ws;
    private final AtomicInteger nextWs = new AtomicInteger();
    private final Map<String, AtomicInteger> openSockets = new ConcurrentHashMap<>();
    private final long deadline;

    private QueueFleet(String[] urls, long saleId, String[] ws, long deadline) {
        this.urls = urls;
        this.saleId = saleId;
        this.ws = ws;
        this.deadline = deadline;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: QueueFleet KEY.pem SALE_ID SHOPPERS_FILE WS_BASE URL[,URL...] SECONDS");
            System.exit(2);
        }
        SessionTokens tokens = SessionTokens.fromPem(Path.of(args[0])).lasting(Duration.ofHours(1));
        long seconds = Long.parseLong(args[5]);
        QueueFleet fleet = new QueueFleet(args[4].split(","), Long.parseLong(args[1]), args[3].split(","),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
        List<String[]> shoppers = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] s = line.trim().split("\\s+");
            if (s.length >= 2) {
                shoppers.add(new String[] {s[0], tokens.session(Long.parseLong(s[0]), s[1], "shopper")});
            }
        }
        String status = System.getenv("FLEET_STATUS");
        if (status != null && !status.isBlank()) {
            Thread.ofVirtual().start(() -> fleet.writeStatus(Path.of(status)));
        }
        CountDownLatch done = new CountDownLatch(shoppers.size());
        for (String[] shopper : shoppers) {
            Thread.ofVirtual().start(() -> {
                try {
                    if (fleet.shop(shopper[0], shopper[1])) {
                        fleet.count("bought");
                    } else {
                        fleet.count("unfinished");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        System.out.println("shoppers=" + shoppers.size());
        new TreeMap<>(fleet.figures).forEach((name, n) -> System.out.println(name + "=" + n));
    }

    /** Joins (again and again) until it bought or the time is up; answers whether it bought. */
    private boolean shop(String userId, String session) throws InterruptedException {
        boolean wasOpen = false;
        boolean first = true;
        while (System.nanoTime() < deadline) {
            if (wasOpen) {
                count("reconnects");
            }
            if (!first) {
                Thread.sleep(300);
            }
            first = false;
            wasOpen = false;
            String base = ws[Math.floorMod(nextWs.getAndIncrement(), ws.length)];
            CompletableFuture<String> admitted = new CompletableFuture<>();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            WebSocket socket;
            try {
                socket = http.newWebSocketBuilder().subprotocols("miaosha.v1", "bearer." + session)
                        .buildAsync(URI.create(base + "/ws/sales/" + saleId + "/queue" + io.miaosha.testsupport.AltchaSolver.query(
                                io.miaosha.testsupport.AltchaSolver.fetchAndSolve(URI.create(
                                        base.replaceFirst("^ws", "http") + "/ws/sales/" + saleId + "/challenge")))),
                                new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    String message = text.toString();
                                    text.setLength(0);
                                    if (message.contains("\"type\":\"admitted\"")) {
                                        Matcher token = TOKEN.matcher(message);
                                        if (token.find()) {
                                            admitted.complete(token.group(1));
                                        }
                                    }
                                }
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
                                closed.complete(null);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket webSocket, Throwable error) {
                                closed.complete(null);
                            }
                        }).get(10, TimeUnit.SECONDS);
            } catch (Exception connectFailed) {
                count("connect-failures");
                continue;
            }
            wasOpen = true;
            AtomicInteger openHere = openSockets.computeIfAbsent(base, b -> new AtomicInteger());
            openHere.incrementAndGet();
            closed.whenComplete((ignored, error) -> openHere.decrementAndGet());
            String token;
            try {
                token = CompletableFuture.anyOf(admitted, closed).thenApply(x -> admitted.getNow(null))
                        .get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
            } catch (Exception timeUp) {
                socket.abort();
                return false;
            }
            if (token == null) {
                continue; // the socket closed before an admission: join again
            }
            count("admitted");
            String status = buy(userId, session, token);
            count("purchase." + status);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bought").exceptionally(e -> null);
            if ("202".equals(status)) {
                return true;
            }
        }
        return false;
    }

    private String buy(String userId, String session, String admission) throws InterruptedException {
        String key = "fleet-" + saleId + "-" + userId + "-" + Long.toHexString(System.nanoTime());
        String last = "none";
        for (int attempt = 0; attempt < 6 && System.nanoTime() < deadline; attempt++) {
            String url = urls[Math.floorMod(nextUrl.getAndIncrement(), urls.length)];
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/sales/" + saleId + "/purchase"))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + session).header("Admission-Token", admission)
                    .header("Idempotency-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}")).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = Integer.toString(response.statusCode());
                if (response.statusCode() < 500) {
                    return last;
                }
            } catch (java.io.IOException e) {
                last = "refused";
            }
            Thread.sleep(200L << attempt);
        }
        return last;
    }

    private void writeStatus(Path file) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            while (true) {
                StringBuilder lines = new StringBuilder();
                for (String base : ws) {
                    lines.append(base).append(' ').append(openSockets.getOrDefault(base, new AtomicInteger()).get()).append('\n');
                }
                Files.writeString(next, lines);
                Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Thread.sleep(100);
            }
        } catch (Exception stopped) {
            // the fleet is ending
        }
    }

    private void count(String name) {
        figures.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    }
}
