import io.miaosha.testsupport.SessionTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A crowd of real waiting-room clients for the clustered checks (JDK source launcher, with
 * test-support's classes): one WebSocket per shopper, spread round robin over the gateways, each
 * buying once with its admission token through the APIs (round robin too, crossed with the gateways)
 * and then trying the same token a second time. Session tokens are minted with the API's key.
 *
 * <pre>
 * java -cp test-support/target/classes scripts/lib/RoomCrowd.java --key KEY.pem --sale ID --crowd FILE
 *      --out DIR --ws WS[,WS...] --api URL[,URL...] [--holders FILE --go FILE] [--hold-ms N] [--timeout S]
 * </pre>
 * FILE has "userId email" lines. With --holders, those shoppers join first and stay inside without
 * buying (so the sale's capacity is full); then the crowd connects, "crowd-connected" is printed, and
 * once the --go file exists the holders leave and the crowd is admitted. So the caller can read every
 * crowd ticket from Redis before anyone of the crowd is admitted. Each admitted shopper holds its slot
 * --hold-ms (default 0) before buying.
 *
 * Writes DIR/crowd, one line per crowd shopper: userId gateway api admissions admittedAtMs
 * windowEndMs purchaseSentAtMs purchaseStatus doneAtMs reuseStatus orderId (gateway and api are
 * 1-based indexes; windowEndMs is the token's "wend", the admitting tick's time plus the window, so
 * shoppers admitted by the same tick share it). Prints admitted=, bought=, duplicate-admissions=,
 * unconfirmed= (purchases answered 503: held on the Redis master, its replica did not confirm in time),
 * reuse.STATUS=, max-inside-observed= (most shoppers between "admitted" received and purchase sent
 * at any moment: a lower bound of who was inside), timed-out=, millis=.
 */
public final class RoomCrowd {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern WEND = Pattern.compile("\"wend\"\\s*:\\s*(\\d+)");
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

    /** One shopper's socket and what happened to it; written by its listener and its buyer thread. */
    static final class Shopper {
        final String userId;
        final String session;
        final int gateway;
        final int api;
        final boolean holder;
        volatile WebSocket socket;
        volatile int admissions;
        volatile long admittedAt;
        volatile long windowEnd;
        volatile long purchaseSentAt;
        volatile int status;
        volatile long doneAt;
        volatile int reuseStatus;
        volatile String orderId = "-";
        volatile String ending = "";

        Shopper(String userId, String session, int gateway, int api, boolean holder) {
            this.userId = userId;
            this.session = session;
            this.gateway = gateway;
            this.api = api;
            this.holder = holder;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String sale;
    private final String[] gateways;
    private final String[] apis;
    private final long holdMs;
    private CountDownLatch holdersInside = new CountDownLatch(0);
    private CountDownLatch crowdDone = new CountDownLatch(0);

    RoomCrowd(String sale, String[] gateways, String[] apis, long holdMs) {
        this.sale = sale;
        this.gateways = gateways;
        this.apis = apis;
        this.holdMs = holdMs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("key", "sale", "crowd", "out", "ws", "api")) {
            if (!options.containsKey(required)) {
                usage();
            }
        }
        SessionTokens tokens = SessionTokens.fromPem(Path.of(options.get("key")));
        RoomCrowd room = new RoomCrowd(options.get("sale"), options.get("ws").split(","), options.get("api").split(","),
                Long.parseLong(options.getOrDefault("hold-ms", "0")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("timeout", "120")));
        List<Shopper> holders = options.containsKey("holders")
                ? room.shoppers(tokens, Path.of(options.get("holders")), true) : List.of();
        List<Shopper> crowd = room.shoppers(tokens, Path.of(options.get("crowd")), false);
        long started = System.currentTimeMillis();
        boolean timedOut = false;

        room.holdersInside = new CountDownLatch(holders.size());
        for (Shopper holder : holders) {
            room.connect(holder);
        }
        room.holdersInside.await(remaining(deadline), TimeUnit.NANOSECONDS);
        for (Shopper holder : holders) {
            if (holder.admissions == 0) {
                System.err.println("holder " + holder.userId + " was not admitted: " + holder.ending);
                timedOut = true;
            }
        }
        room.crowdDone = new CountDownLatch(crowd.size());
        if (!timedOut) {
            for (Shopper shopper : crowd) {
                room.connect(shopper);
            }
            if (options.containsKey("go")) {
                System.out.println("crowd-connected");
                System.out.flush();
                Path go = Path.of(options.get("go"));
                while (!Files.exists(go) && remaining(deadline) > 0) {
                    Thread.sleep(50);
                }
                for (Shopper holder : holders) {
                    holder.socket.sendText("{\"type\":\"leave\"}", true).join();
                }
            }
            timedOut = !room.crowdDone.await(remaining(deadline), TimeUnit.NANOSECONDS);
        }
        long millis = System.currentTimeMillis() - started;

        List<String> lines = new ArrayList<>();
        Map<String, Integer> reuse = new TreeMap<>();
        int admitted = 0, bought = 0, unconfirmed = 0, duplicates = 0;
        List<long[]> inside = new ArrayList<>();
        for (Shopper s : crowd) {
            lines.add(String.join(" ", s.userId, String.valueOf(s.gateway + 1), String.valueOf(s.api + 1),
                    String.valueOf(s.admissions), String.valueOf(s.admittedAt), String.valueOf(s.windowEnd),
                    String.valueOf(s.purchaseSentAt), String.valueOf(s.status), String.valueOf(s.doneAt),
                    String.valueOf(s.reuseStatus), s.orderId));
            admitted += s.admissions > 0 ? 1 : 0;
            duplicates += Math.max(0, s.admissions - 1);
            bought += s.status == 202 ? 1 : 0;
            unconfirmed += s.status == 503 ? 1 : 0;
            if (s.status != 0) {
                reuse.merge(String.valueOf(s.reuseStatus), 1, Integer::sum);
                inside.add(new long[] {s.admittedAt, s.purchaseSentAt});
            }
            if (s.admissions == 0 || (s.status != 202 && s.status != 503)) {
                System.err.println("shopper " + s.userId + " on gateway " + (s.gateway + 1) + ": admissions " + s.admissions
                        + ", purchase " + s.status + " " + s.ending);
            }
        }
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out);
        Files.write(out.resolve("crowd"), lines);
        System.out.println("admitted=" + admitted);
        System.out.println("bought=" + bought);
        System.out.println("unconfirmed=" + unconfirmed);
        System.out.println("duplicate-admissions=" + duplicates);
        reuse.forEach((status, n) -> System.out.println("reuse." + status + "=" + n));
        System.out.println("max-inside-observed=" + mostAtOnce(inside));
        System.out.println("timed-out=" + (timedOut ? 1 : 0));
        System.out.println("millis=" + millis);
        System.out.flush();
        System.exit(0); // the sockets still open (holders told "closed" or not) need no goodbye
    }

    private static void usage() {
        System.err.println("usage: RoomCrowd --key KEY.pem --sale ID --crowd FILE --out DIR --ws WS[,WS...] --api URL[,URL...]"
                + " [--holders FILE --go FILE] [--hold-ms N] [--timeout S]");
        System.exit(2);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** The most intervals [from, to] open at one instant (an end at the same ms as a start does not overlap). */
    static int mostAtOnce(List<long[]> intervals) {
        List<long[]> edges = new ArrayList<>();
        for (long[] i : intervals) {
            edges.add(new long[] {i[0], 1});
            edges.add(new long[] {i[1], -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0, most = 0;
        for (long[] e : edges) {
            open += (int) e[1];
            most = Math.max(most, open);
        }
        return most;
    }

    private List<Shopper> shoppers(SessionTokens tokens, Path file, boolean holders) throws Exception {
        List<Shopper> shoppers = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            int i = shoppers.size();
            shoppers.add(new Shopper(fields[0], tokens.session(Long.parseLong(fields[0]), fields[1], "shopper"),
                    i % gateways.length, (i / gateways.length) % apis.length, holders));
        }
        return shoppers;
    }

    /** Every join pays its proof-of-work, as a scripted client must: the gateway's challenge, solved. */
    private String joinProof(String gateway) {
        return io.miaosha.testsupport.AltchaSolver.query(io.miaosha.testsupport.AltchaSolver.fetchAndSolve(
                URI.create(gateway.replaceFirst("^ws", "http") + "/ws/sales/" + sale + "/challenge")));
    }

    private void connect(Shopper shopper) {
        shopper.socket = http.newWebSocketBuilder().subprotocols("miaosha.v1", "bearer." + shopper.session)
                .connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create(gateways[shopper.gateway] + "/ws/sales/" + sale + "/queue" + joinProof(gateways[shopper.gateway])),
                        new Listener(shopper))
                .exceptionally(error -> {
                    shopper.ending = "connect failed: " + error;
                    finished(shopper);
                    return null;
                }).join();
    }

    private void finished(Shopper shopper) {
        if (shopper.holder) {
            holdersInside.countDown();
        } else {
            crowdDone.countDown();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final Shopper shopper;
        private final StringBuilder text = new StringBuilder();
        private boolean over;

        Listener(Shopper shopper) {
            this.shopper = shopper;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                if (message.contains("\"type\":\"admitted\"")) {
                    admitted(message);
                } else if (!over && (message.contains("\"type\":\"closed\"") || message.contains("\"type\":\"error\""))) {
                    end(message);
                }
            }
            socket.request(1);
            return null;
        }

        private void admitted(String message) {
            long at = System.currentTimeMillis();
            int admissions = ++shopper.admissions;
            if (admissions > 1) {
                return; // counted; a second admission must not buy again
            }
            shopper.admittedAt = at;
            Matcher token = TOKEN.matcher(message);
            if (!token.find()) {
                end("admitted without a token: " + message);
                return;
            }
            String admission = token.group(1);
            shopper.windowEnd = windowEnd(admission);
            if (shopper.holder) {
                holdersInside.countDown();
                return;
            }
            over = true;
            Thread.ofVirtual().start(() -> buy(admission));
        }

        private void buy(String admission) {
            try {
                if (holdMs > 0) {
                    Thread.sleep(holdMs);
                }
                shopper.purchaseSentAt = System.currentTimeMillis();
                HttpResponse<String> bought = purchase(admission);
                shopper.doneAt = System.currentTimeMillis();
                shopper.status = bought.statusCode();
                Matcher id = ORDER_ID.matcher(bought.body());
                if (id.find()) {
                    shopper.orderId = id.group(1);
                } else if (bought.statusCode() != 202) {
                    shopper.ending = "purchase answered " + bought.statusCode() + " " + bought.body();
                }
                shopper.reuseStatus = purchase(admission).statusCode();
                shopper.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bought");
            } catch (Exception e) {
                shopper.ending = "purchase failed: " + e;
            } finally {
                crowdDone.countDown();
            }
        }

        private HttpResponse<String> purchase(String admission) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(apis[shopper.api] + "/api/sales/" + sale + "/purchase"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + shopper.session)
                    .header("Admission-Token", admission)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"quantity\":1}"))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        private void end(String why) {
            if (over) {
                return;
            }
            over = true;
            shopper.ending = why;
            if (!shopper.holder || shopper.admissions == 0) {
                finished(shopper);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            end("closed " + status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            end("error: " + error);
        }
    }

    /** The "wend" claim of an admission token (a compact JWT), 0 when it has none. */
    static long windowEnd(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return 0;
        }
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher wend = WEND.matcher(payload);
        return wend.find() ? Long.parseLong(wend.group(1)) : 0;
    }
}
