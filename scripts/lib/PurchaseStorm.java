import io.miaosha.testsupport.SessionTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A purchase storm over real HTTP for the clustered system check (JDK source launcher, with
 * test-support's classes): the shoppers' session tokens are minted with the API's signing key by
 * test-support's SessionTokens (so no bcrypt per shopper), each shopper makes ATTEMPTS attempts on
 * each sale, all of them shuffled together, CONCURRENCY at a time, spread round robin over the API
 * base URLs.
 *
 * <pre>
 * java -cp test-support/target/classes scripts/lib/PurchaseStorm.java KEY.pem SALE_ID[,SALE_ID...] SHOPPERS_FILE ATTEMPTS CONCURRENCY OUT_DIR URL[,URL...]
 * </pre>
 * SHOPPERS_FILE has "userId email" lines. Writes OUT_DIR/accepted (order id, user id, the URL that
 * accepted it and the sale, one 202 a line) and prints "status.NNN=count", "accepted.URL=count",
 * "lost=count", "problem.NNN.TYPE.URL=count" (the last segment of each refusal's problem type, per
 * instance) and per sale "sale.ID.status.NNN=count".
 */
public final class PurchaseStorm {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*/([^\"/]+)\"");

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: PurchaseStorm KEY.pem SALE_ID[,SALE_ID...] SHOPPERS_FILE ATTEMPTS CONCURRENCY OUT_DIR URL[,URL...]");
            System.exit(2);
        }
        SessionTokens tokens = SessionTokens.fromPem(Path.of(args[0]));
        String[] sales = args[1].split(",");
        int attemptsEach = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        Path out = Path.of(args[5]);
        String[] urls = args[6].split(",");

        List<String[]> attempts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] shopper = line.trim().split("\\s+");
            if (shopper.length < 2) {
                continue;
            }
            String token = tokens.session(Long.parseLong(shopper[0]), shopper[1], "shopper");
            for (String sale : sales) {
                for (int i = 0; i < attemptsEach; i++) {
                    attempts.add(new String[] {shopper[0], token, sale});
                }
            }
        }
        Collections.shuffle(attempts);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> acceptedBy = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perSale = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> problems = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger lost = new AtomicInteger();
        Semaphore inFlight = new Semaphore(concurrency);
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < attempts.size(); i++) {
                String[] attempt = attempts.get(i);
                String url = urls[i % urls.length];
                inFlight.acquire();
                threads.submit(() -> {
                    try {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/sales/" + attempt[2] + "/purchase"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Authorization", "Bearer " + attempt[1])
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}"))
                                .build();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        perSale.computeIfAbsent("sale." + attempt[2] + ".status." + response.statusCode(), s -> new AtomicInteger())
                                .incrementAndGet();
                        if (response.statusCode() == 202) {
                            Matcher id = ORDER_ID.matcher(response.body());
                            accepted.add((id.find() ? id.group(1) : "no-order-id:" + response.body()) + " " + attempt[0] + " " + url + " " + attempt[2]);
                            acceptedBy.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
                        } else {
                            Matcher type = PROBLEM_TYPE.matcher(response.body());
                            problems.computeIfAbsent(response.statusCode() + "." + (type.find() ? type.group(1) : "untyped")
                                    + "." + url, p -> new AtomicInteger()).incrementAndGet();
                            if (response.statusCode() >= 500) {
                                System.err.println(response.statusCode() + " from " + url + ": " + response.body());
                            }
                        }
                    } catch (Exception e) {
                        lost.incrementAndGet();
                        System.err.println("attempt lost at " + url + ": " + e);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Files.createDirectories(out);
        Files.write(out.resolve("accepted"), accepted);
        new TreeMap<>(statuses).forEach((status, n) -> System.out.println("status." + status + "=" + n));
        for (String url : urls) {
            AtomicInteger n = acceptedBy.get(url);
            System.out.println("accepted." + url + "=" + (n == null ? 0 : n.get()));
        }
        System.out.println("lost=" + lost.get());
        new TreeMap<>(problems).forEach((key, n) -> System.out.println("problem." + key + "=" + n));
        if (sales.length > 1) {
            new TreeMap<>(perSale).forEach((key, n) -> System.out.println(key + "=" + n));
        }
        System.out.println("attempts=" + attempts.size());
        System.out.println("millis=" + millis);
    }
}
