import io.miaosha.testsupport.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

/**
 * Opens N shopper WebSockets to a gateway, holds them, and measures the connect rate and the time
 * until every waiting connection has been told of an advance. Sessions are minted by test-support's
 * SessionTokens with the key of --key (the run's fresh one by default).
 *
 *   java -cp 'queue-gateway/target/quarkus-app/lib/main/*:test-support/target/classes' loadtest/queue/ConnectionTester.java \
 *     --port 8082 --sale 1 --connections 19000 --first-user 1 [--source 127.0.0.2] [--hold 20] [--advance]
 *
 * Prints "connected N in S s (R/s)", then (with --advance) sends "leave" on the admitted connection
 * and prints "advance told to all W waiting in T ms", then holds for --hold seconds and prints the
 * connections still open. Also "READY" once connected, so a script can measure the gateway meanwhile.
 */
public class ConnectionTester {

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1", source = null, key = System.getenv().getOrDefault("SMALLRYE_JWT_SIGN_KEY_LOCATION", "run/secrets/privateKey.pem");
        int port = 8082, connections = 1000, hold = 10;
        long sale = 1, firstUser = 1;
        boolean advance = false;
        Path advanceFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--sale" -> sale = Long.parseLong(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--first-user" -> firstUser = Long.parseLong(args[++i]);
                case "--source" -> source = args[++i];
                case "--hold" -> hold = Integer.parseInt(args[++i]);
                case "--key" -> key = args[++i];
                case "--advance" -> advance = true;
                case "--advance-file" -> advanceFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SessionTokens minter = SessionTokens.fromPem(Path.of(key)).lasting(Duration.ofHours(2));
        long first = firstUser;
        long t0 = System.nanoTime();
        List<String> sessions = IntStream.range(0, connections).parallel().mapToObj(i -> minter.session(first + i, "bench" + (first + i) + "@test.miaosha.dev", "shopper")).toList();
        System.out.printf("signed %d sessions in %.1f s%n", connections, (System.nanoTime() - t0) / 1e9);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        WebSocketClientOptions options = new WebSocketClientOptions().setMaxConnections(connections).setConnectTimeout(30_000);
        if (source != null) {
            options.setLocalAddress(source);
        }
        WebSocketClient client = vertx.createWebSocketClient(options);
        AtomicLongArray ahead = new AtomicLongArray(connections);
        AtomicLongArray toldAt = new AtomicLongArray(connections);
        List<WebSocket> sockets = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            sockets.add(null);
            ahead.set(i, -1);
        }
        AtomicInteger admitted = new AtomicInteger(-1);
        AtomicInteger closed = new AtomicInteger();
        long start = System.nanoTime();
        int inFlight = 500;
        for (int from = 0; from < connections; from += inFlight) {
            List<Future<WebSocket>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(connections, from + inFlight); i++) {
                int index = i;
                WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(host).setPort(port)
                        // Each socket pays its join's proof-of-work, as a scripted client must.
                        .setURI("/ws/sales/" + sale + "/queue" + io.miaosha.testsupport.AltchaSolver.query(io.miaosha.testsupport.AltchaSolver
                                .fetchAndSolve(io.miaosha.testsupport.AltchaSolver.challengeUri(host, port, sale))))
                        .setSubProtocols(List.of("miaosha.v1", "bearer." + sessions.get(i)));
                // Handlers go on before connecting: the first frame can arrive with the upgrade response.
                io.vertx.core.http.ClientWebSocket ws = client.webSocket();
                batch.add(ws.connect(connect).onSuccess(connected -> sockets.set(index, connected)));
                {
                    ws.closeHandler(v -> closed.incrementAndGet());
                    ws.textMessageHandler(text -> {
                        if (text.startsWith("{\"type\":\"position\"")) {
                            int at = text.indexOf("\"ahead\":") + 8;
                            long value = Long.parseLong(text.substring(at, text.indexOf(',', at)));
                            long before = ahead.getAndSet(index, value);
                            // The latest move up: an earlier one (another advance) must not count for this one. A
                            // socket whose first frame the client lost (a frame read with the upgrade answer: see
                            // FirstFramesTest) first hears of its place now, which tells it the advance as well.
                            if (before < 0 || value < before) {
                                toldAt.set(index, System.nanoTime());
                            }
                        } else if (text.startsWith("{\"type\":\"admitted\"")) {
                            admitted.compareAndSet(-1, index);
                            toldAt.compareAndSet(index, 0, System.nanoTime());
                        }
                    });
                }
            }
            Future.join(new ArrayList<>(batch)).toCompletionStage().toCompletableFuture().handle((r, e) -> r).get(120, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long open = sockets.stream().filter(ws -> ws != null && !ws.isClosed()).count();
        System.out.printf("connected %d of %d in %.1f s (%.0f/s)%n", open, connections, seconds, open / seconds);
        System.out.println("READY");
        System.out.flush();

        Thread.sleep(3000);
        if (advanceFile != null) {
            // Fleet mode: another process frees a slot and writes the time (epoch ms) it did so here.
            for (int i = 0; i < connections; i++) {
                toldAt.set(i, 0);
            }
            while (!Files.exists(advanceFile)) {
                Thread.sleep(20);
            }
            // Read as the slot is freed: a frame the gateway sends now is the advance's, not a join's.
            printUnheard(ahead, admitted.get());
            Thread.sleep(200);
            long advancedAtMs = Long.parseLong(Files.readString(advanceFile).trim());
            long nanoOffset = System.nanoTime() - System.currentTimeMillis() * 1_000_000L;
            long advancedAtNanos = advancedAtMs * 1_000_000L + nanoOffset;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int waiting = 0, told = 0;
            long last = 0;
            while (System.nanoTime() < deadline) {
                waiting = 0;
                told = 0;
                last = 0;
                for (int i = 0; i < connections; i++) {
                    boolean toldOfThisAdvance = toldAt.get(i) - advancedAtNanos >= 0;
                    if (ahead.get(i) > 0 || toldOfThisAdvance) {
                        waiting++;
                        if (toldOfThisAdvance) {
                            told++;
                            last = Math.max(last, toldAt.get(i));
                        }
                    }
                }
                if (told >= waiting) {
                    break;
                }
                Thread.sleep(50);
            }
            System.out.printf("advance told to %d of %d waiting in %d ms%n", told, waiting,
                    (last - nanoOffset) / 1_000_000 - advancedAtMs);
        }
        if (advance) {
            printUnheard(ahead, admitted.get());
            int waiting = 0;
            for (int i = 0; i < connections; i++) {
                toldAt.set(i, 0);
                if (ahead.get(i) > 0) {
                    waiting++;
                }
            }
            int leaver = admitted.get();
            if (leaver < 0) {
                System.out.println("no connection of this tester is inside; advance by another means");
            } else {
                long advancedAt = System.nanoTime();
                sockets.get(leaver).writeTextMessage("{\"type\":\"leave\"}");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int told = 0;
                long last = 0;
                while (System.nanoTime() < deadline) {
                    told = 0;
                    last = 0;
                    for (int i = 0; i < connections; i++) {
                        if (ahead.get(i) > 0 || toldAt.get(i) != 0) {
                            long at = toldAt.get(i);
                            if (at != 0) {
                                told++;
                                last = Math.max(last, at);
                            }
                        }
                    }
                    if (told >= waiting) {
                        break;
                    }
                    Thread.sleep(50);
                }
                System.out.printf("advance told to %d of %d waiting in %d ms%n", told, waiting,
                        (last - advancedAt) / 1_000_000);
            }
        }
        Thread.sleep(hold * 1000L);
        open = sockets.stream().filter(ws -> ws != null && !ws.isClosed()).count();
        System.out.printf("still open after holding: %d (closed by the server or network: %d)%n", open, closed.get());
        System.out.flush();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Sockets that had no frame at all by the advance: their first frames were lost by the client (a frame read
     * with the upgrade answer, see FirstFramesTest), and the first frame they see tells them their place.
     */
    private static void printUnheard(AtomicLongArray ahead, int admitted) {
        long unheard = 0;
        for (int i = 0; i < ahead.length(); i++) {
            if (ahead.get(i) < 0 && admitted != i) {
                unheard++;
            }
        }
        System.out.printf("open sockets without a frame before the advance: %d%n", unheard);
    }
}
