import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.chaos.ShopperRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos suite's storm (JDK source launcher, with test-support's classes): shoppers arrive at a
 * steady pace for the storm's length, so a fault injected mid-storm lands among purchases, payments
 * and expiries. Each shopper makes ATTEMPTS purchases, each with its own Idempotency-Key, over the
 * API base URLs in turn; of the accepted ones a share is paid (test card 4242424242424242, with an
 * Idempotency-Key), the rest left to expire (make the sale's hold short, 15-20 s), and a share is
 * replayed with the same key (purchase, and payment when paid) to see the first answer return.
 *
 * <p>Through a fault it keeps going: a 5xx, a timeout or a refused connection is retried with the
 * same key, on the next URL, with back-off, until the request's budget (RETRY_SECONDS) is spent; the
 * answer recorded is the last real one, "none" when there was none (a refused connection is never an
 * answer, let alone a success).
 *
 * <pre>
 * java -cp "$(test_support_classes)" scripts/lib/ChaosStorm.java KEY.pem SALE_ID SHOPPERS_FILE OUT_DIR URL[,URL...] \
 *   [--seconds 60] [--attempts 2] [--concurrency 60] [--pay-share 0.5] [--replay-share 0.2] [--retry-seconds 90]
 * </pre>
 * SHOPPERS_FILE has "userId email" lines. Writes OUT_DIR/record (the {@link ShopperRecord} lines the
 * invariant checker reads) and prints figures: purchase.NNN / pay.NNN / replay.NNN (final answers),
 * retried.NNN (answers that were retried: 503, 500, ...), refused (connections refused or timed out),
 * shoppers, millis.
 */
public final class ChaosStorm {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PAY_BY = Pattern.compile("\"payBy\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PAYMENT_ID = Pattern.compile("\"paymentId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private record Answer(String status, String body) {
        static final Answer NONE = new Answer(ShopperRecord.NONE, "");

        String find(Pattern pattern) {
            Matcher m = pattern.matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final String[] urls;
    private final long saleId;
    private final Duration retryBudget;
    private final AtomicLong nextUrl = new AtomicLong();
    private final Map<String, AtomicInteger> figures = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ShopperRecord> record = new ConcurrentLinkedQueue<>();

    private ChaosStorm(String[] urls, long saleId, Duration retryBudget) {
        this.urls = urls;
        this.saleId = saleId;
        this.retryBudget = retryBudget;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ChaosStorm KEY.pem SALE_ID SHOPPERS_FILE OUT_DIR URL[,URL...] [--seconds S] [--attempts N]"
                    + " [--concurrency N] [--pay-share F] [--replay-share F] [--retry-seconds S]");
            System.exit(2);
        }
        Map<String, String> options = new TreeMap<>();
        for (int i = 5; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        SessionTokens tokens = SessionTokens.fromPem(Path.of(args[0])).lasting(Duration.ofHours(1));
        long saleId = Long.parseLong(args[1]);
        Path out = Path.of(args[3]);
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "60"));
        int attempts = Integer.parseInt(options.getOrDefault("attempts", "2"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "60"));
        double payShare = Double.parseDouble(options.getOrDefault("pay-share", "0.5"));
        double replayShare = Double.parseDouble(options.getOrDefault("replay-share", "0.2"));
        ChaosStorm storm = new ChaosStorm(args[4].split(","), saleId,
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("retry-seconds", "90"))));

        List<String[]> shoppers = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] shopper = line.trim().split("\\s+");
            if (shopper.length >= 2) {
                shoppers.add(new String[] {shopper[0], tokens.session(Long.parseLong(shopper[0]), shopper[1], "shopper")});
            }
        }
        Files.createDirectories(out);
        long pace = (long) (seconds * 1_000_000_000L / Math.max(1, shoppers.size()));
        Semaphore inFlight = new Semaphore(concurrency);
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < shoppers.size(); i++) {
                long due = started + i * pace;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                String[] shopper = shoppers.get(i);
                inFlight.acquire();
                threads.submit(() -> {
                    try {
                        storm.shop(Long.parseLong(shopper[0]), shopper[1], attempts, payShare, replayShare);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        System.err.println("shopper " + shopper[0] + " failed: " + e);
                        storm.count("driver-errors");
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        ShopperRecord.write(out.resolve("record"), List.copyOf(storm.record));
        new TreeMap<>(storm.figures).forEach((name, n) -> System.out.println(name + "=" + n));
        System.out.println("shoppers=" + shoppers.size());
        System.out.println("millis=" + (System.nanoTime() - started) / 1_000_000);
    }

    private void shop(long userId, String token, int attempts, double payShare, double replayShare) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = 1; n <= attempts; n++) {
            String key = "chaos-" + saleId + "-" + userId + "-" + n + "-" + Long.toHexString(random.nextLong());
            String purchase = "/api/sales/" + saleId + "/purchase";
            Answer answer = send(purchase, token, key, "{\"quantity\":1}", "purchase");
            String orderId = "202".equals(answer.status()) ? answer.find(ORDER_ID) : null;
            String payBy = answer.find(PAY_BY);
            record.add(ShopperRecord.purchase(userId, key, answer.status(), orderId,
                    payBy == null ? null : Instant.parse(payBy).toEpochMilli()));
            if (orderId == null) {
                continue;
            }
            if (random.nextDouble() < replayShare) {
                Answer replay = send(purchase, token, key, "{\"quantity\":1}", "replay");
                record.add(ShopperRecord.replay(userId, key, replay.status(), replay.find(ORDER_ID)));
            }
            if (random.nextDouble() < payShare) {
                Thread.sleep(random.nextLong(200, 2000));
                String payKey = "pay-" + orderId;
                String pay = "/api/orders/" + orderId + "/pay";
                String card = "{\"cardNumber\":\"4242424242424242\"}";
                Answer paid = send(pay, token, payKey, card, "pay");
                record.add(ShopperRecord.pay(userId, payKey, paid.status(), orderId, paid.find(PAYMENT_ID)));
                if ("200".equals(paid.status()) && random.nextDouble() < replayShare) {
                    Answer again = send(pay, token, payKey, card, "pay-replay");
                    record.add(ShopperRecord.payReplay(userId, payKey, again.status(), orderId, again.find(PAYMENT_ID)));
                }
            }
        }
    }

    /**
     * Sends until a final answer (anything but a 5xx), retrying a 5xx, a timeout or a refused
     * connection with the same key on the next URL; the last answer (or none) once the budget is spent.
     */
    private Answer send(String path, String token, String key, String body, String what) throws InterruptedException {
        long deadline = System.nanoTime() + retryBudget.toNanos();
        long backOff = 100;
        Answer last = Answer.NONE;
        while (true) {
            String url = urls[(int) (nextUrl.getAndIncrement() % urls.length)];
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                last = new Answer(Integer.toString(response.statusCode()), response.body());
                if (response.statusCode() < 500) {
                    count(what + "." + last.status());
                    return last;
                }
                count("retried." + last.status());
                if (response.statusCode() != 503) {
                    System.err.println(what + " answered " + response.statusCode() + " at " + url + ": " + response.body());
                }
            } catch (java.io.IOException e) {
                count("refused");
            }
            if (System.nanoTime() > deadline) {
                count(what + "." + last.status());
                return last;
            }
            Thread.sleep(backOff + ThreadLocalRandom.current().nextLong(backOff));
            backOff = Math.min(2000, backOff * 2);
        }
    }

    private void count(String name) {
        figures.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    }
}
