import io.miaosha.testsupport.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seated-sale benchmark driver (loadtest/bench-seats.sh runs it): creates a grid venue and a seated
 * sale through the admin API, opens --viewers live sockets (/ws/sales/{id}/live on the gateway), then
 * has --rate picks a second for --seconds made by distinct shoppers (every other one named seats, the
 * others "best 2 in an area"), open loop. Measures each pick's latency (request to 202), and for each
 * accepted pick the time from its 202 to the moment the last viewer's frame showed its seats held.
 *
 *   java -cp 'queue-gateway/target/quarkus-app/lib/main/*:test-support/target/classes' loadtest/seats/SeatBench.java \
 *     --api 18080 --gateway 18082 --key KEY.pem --admin 1 --first-user 2 --users 2000 --product 1
 *
 * Prints "READY sale N" once every viewer has its snapshot, waits for --go-file to exist (the script
 * measures the gateway's heap meanwhile), and prints the figures at the end. --pids "gw api" adds the
 * CPU those processes spent during the pick phase.
 */
public class SeatBench {

    private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");
    private static final Pattern CHANGE = Pattern.compile("\\{\"state\":(\\d),\"seats\":\\[([\\d,]*)\\]\\}");

    static int apiPort = 18080, gatewayPort = 18082, viewers = 5000, rate = 20, seconds = 60, areas = 4, rows = 25, perRow = 100;
    static long admin = 1, firstUser = 2, product = 1;
    static int users = 2000;
    static String key, goFile, pids = "";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--api" -> apiPort = Integer.parseInt(args[++i]);
                case "--gateway" -> gatewayPort = Integer.parseInt(args[++i]);
                case "--viewers" -> viewers = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--key" -> key = args[++i];
                case "--admin" -> admin = Long.parseLong(args[++i]);
                case "--first-user" -> firstUser = Long.parseLong(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--product" -> product = Long.parseLong(args[++i]);
                case "--go-file" -> goFile = args[++i];
                case "--pids" -> pids = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SessionTokens minter = SessionTokens.fromPem(Path.of(key)).lasting(Duration.ofHours(2));
        String adminToken = minter.admin(admin);
        String venue = post("/api/admin/venues", adminToken, venueJson()).body();
        long venueId = Long.parseLong(venue.replaceAll("(?s)^\\{\"id\":(\\d+).*", "$1"));
        StringBuilder prices = new StringBuilder();
        for (int a = 0; a < areas; a++) {
            prices.append(a == 0 ? "" : ",").append("\"Area ").append(a + 1).append("\":").append(3000 + 1000 * a);
        }
        String terms = "{\"productId\":" + product + ",\"title\":\"Seat bench\",\"currency\":\"EUR\",\"opensAt\":\""
                + Instant.now().minusSeconds(60) + "\",\"closesAt\":\"" + Instant.now().plusSeconds(7200) + "\",\"areaPrices\":{"
                + prices + "},\"seatLimit\":4,\"holdSeconds\":1800,\"queueEnabled\":false}";
        HttpResponse<String> created = post("/api/admin/venues/" + venueId + "/sales", adminToken, terms);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the sale: " + created.statusCode() + " " + created.body());
        }
        long saleId = Long.parseLong(created.body().replaceAll("(?s)^\\{\"id\":(\\d+).*", "$1"));
        String layout = get("/api/sales/" + saleId + "/seats");
        // Seat ids by position: the layout's seats are columns, "id" the first (index = position).
        String idColumn = layout.substring(layout.indexOf("\"seats\":{\"id\":[") + 15);
        idColumn = idColumn.substring(0, idColumn.indexOf(']'));
        int seatCount = areas * rows * perRow;
        long[] seatIds = Arrays.stream(idColumn.split(",")).mapToLong(Long::parseLong).toArray();
        if (seatIds.length != seatCount) {
            throw new IllegalStateException("the layout lists " + seatIds.length + " seats, not " + seatCount);
        }
        get("/api/sales/" + saleId + "/seats/map"); // arms the sale: the live socket refuses an unarmed one

        int picks = rate * seconds;
        // By seat, not by pick: a frame may reach a viewer before the pick's 202 reaches the driver.
        AtomicLongArray lastShown = new AtomicLongArray(seatCount);  // latest viewer frame showing the seat held, ns
        AtomicIntegerArray shownTo = new AtomicIntegerArray(seatCount);
        AtomicLongArray accepted = new AtomicLongArray(picks);   // 202 arrival, ns
        int[] firstSeat = new int[picks];
        // A frame is the same text for every viewer: parse it once.
        Map<String, int[]> parsed = new ConcurrentHashMap<>();

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(viewers)
                .setConnectTimeout(30_000).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
        AtomicInteger snapshots = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        List<WebSocket> sockets = new ArrayList<>();
        long connectStart = System.nanoTime();
        for (int from = 0; from < viewers; from += 250) {
            List<Future<WebSocket>> batch = new ArrayList<>();
            for (int v = from; v < Math.min(viewers, from + 250); v++) {
                boolean[] seen = new boolean[seatCount];
                batch.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gatewayPort)
                        .setURI("/ws/sales/" + saleId + "/live")).onSuccess(ws -> {
                    ws.closeHandler(x -> closed.incrementAndGet());
                    ws.textMessageHandler(text -> {
                        long now = System.nanoTime();
                        if (text.startsWith("{\"type\":\"seats\"")) {
                            String states = text.substring(text.indexOf("\"states\":\"") + 10);
                            snapshots.incrementAndGet();
                            for (int p = 0; p < seatCount && p < states.length(); p++) {
                                if (states.charAt(p) == '1') {
                                    show(p, now, seen, lastShown, shownTo);
                                }
                            }
                            return;
                        }
                        if (!text.startsWith("{\"type\":\"seat-changes\"")) {
                            return;
                        }
                        int[] held = parsed.computeIfAbsent(text, SeatBench::heldSeats);
                        for (int p : held) {
                            show(p, now, seen, lastShown, shownTo);
                        }
                    });
                }));
            }
            for (Future<WebSocket> f : batch) {
                sockets.add(f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
            }
        }
        double connectS = (System.nanoTime() - connectStart) / 1e9;
        while (snapshots.get() < viewers) {
            Thread.sleep(100);
        }
        System.out.printf("connected %d viewers in %.1f s, each with the %d-seat snapshot%n", viewers, connectS, seatCount);
        System.out.println("READY sale " + saleId);
        System.out.flush();
        if (goFile != null) {
            while (!Files.exists(Path.of(goFile))) {
                Thread.sleep(200);
            }
        }

        String[] tokens = new String[users];
        for (int u = 0; u < users; u++) {
            tokens[u] = minter.session(firstUser + u, "bench" + (firstUser + u) + "@test.com", "shopper");
        }
        long[] cpu0 = cpuTicks();
        long[] pickNanos = new long[picks];
        Arrays.fill(pickNanos, -1);
        AtomicInteger raced = new AtomicInteger(), refused = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < picks; i++) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int pick = i;
                threads.submit(() -> {
                    String body;
                    if (pick % 2 == 0) {
                        int a = ThreadLocalRandom.current().nextInt(seatCount - 1);
                        body = "{\"seats\":[" + seatIds[a] + "," + seatIds[a + 1] + "]}";
                    } else {
                        body = "{\"area\":\"Area " + (1 + pick % areas) + "\",\"count\":2}";
                    }
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                                        + "/api/sales/" + saleId + "/seats/pick")).timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + tokens[pick % users]).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        long got = System.nanoTime();
                        if (answer.statusCode() == 202) {
                            pickNanos[pick] = got - sent;
                            Matcher m = POSITION.matcher(answer.body());
                            if (m.find()) {
                                firstSeat[pick] = Integer.parseInt(m.group(1));
                                accepted.set(pick, got);
                            }
                        } else if (answer.statusCode() == 409) {
                            raced.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                            if (refused.get() <= 3) {
                                System.out.println("pick answered " + answer.statusCode() + ": " + answer.body());
                            }
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                });
            }
        }
        double pickS = (System.nanoTime() - start) / 1e9;
        long[] cpu1 = cpuTicks();
        Thread.sleep(3000); // the last frames
        int ok = 0, complete = 0;
        List<Long> lat = new ArrayList<>(), toAll = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            if (accepted.get(i) == 0) {
                continue;
            }
            ok++;
            lat.add(pickNanos[i]);
            if (shownTo.get(firstSeat[i]) >= viewers) {
                complete++;
                toAll.add(Math.max(0, lastShown.get(firstSeat[i]) - accepted.get(i)));
            }
        }
        System.out.printf("picks: %d sent in %.1f s (%.1f/s), %d accepted (202), %d lost a race (409), %d other%n",
                picks, pickS, picks / pickS, ok, raced.get(), refused.get());
        System.out.printf("pick latency (request to 202): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                pct(lat, 50), pct(lat, 99), pct(lat, 100));
        System.out.printf("202 to the last of %d viewers showing the seats: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d of %d picks shown to all)%n",
                viewers, pct(toAll, 50), pct(toAll, 99), pct(toAll, 100), complete, ok);
        System.out.printf("viewer sockets closed during the run: %d%n", closed.get());
        String[] names = pids.isBlank() ? new String[0] : pids.trim().split("\\s+");
        long hz = 100;
        for (int i = 0; i < names.length; i++) {
            System.out.printf("CPU of pid %s during the picks: %.1f%% of one core%n", names[i], (cpu1[i] - cpu0[i]) * 100.0 / hz / pickS);
        }
        sockets.forEach(WebSocket::close);
        vertx.close();
    }

    private static void show(int seat, long now, boolean[] seen, AtomicLongArray lastShown, AtomicIntegerArray shownTo) {
        if (!seen[seat]) {
            seen[seat] = true;
            shownTo.incrementAndGet(seat);
            lastShown.accumulateAndGet(seat, now, Math::max);
        }
    }

    private static int[] heldSeats(String frame) {
        List<Integer> held = new ArrayList<>();
        Matcher m = CHANGE.matcher(frame);
        while (m.find()) {
            if (m.group(1).equals("1") && !m.group(2).isEmpty()) {
                for (String p : m.group(2).split(",")) {
                    held.add(Integer.valueOf(p));
                }
            }
        }
        return held.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] cpuTicks() throws Exception {
        String[] names = pids.isBlank() ? new String[0] : pids.trim().split("\\s+");
        long[] ticks = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            String stat = Files.readString(Path.of("/proc/" + names[i] + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return ticks;
    }

    private static double pct(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int i = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static String venueJson() {
        StringBuilder json = new StringBuilder("{\"name\":\"Bench arena " + System.nanoTime() + "\",\"areas\":[");
        for (int a = 0; a < areas; a++) {
            json.append(a == 0 ? "" : ",").append("{\"name\":\"Area ").append(a + 1).append("\",\"rows\":").append(rows)
                    .append(",\"seatsPerRow\":").append(perRow).append('}');
        }
        return json.append("]}").toString();
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }
}
