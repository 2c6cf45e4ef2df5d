import io.miaosha.testsupport.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How right the waiting room's waits are: opens N shopper sockets on one live sale, records every
 * position frame (when it arrived, the range shown) and when that shopper was admitted; each admitted
 * shopper stays inside for a time drawn from the pattern, then leaves (which frees its slot, as a
 * purchase does). Prints, over every position frame, the error of the range's midpoint against the
 * real time to admission: median absolute, signed median (bias), 90th percentile, and the share of
 * frames whose range held the truth; the same for waits over 10 s and for frames shown once the
 * first ten shoppers had left (before that the estimate rests on the sale's terms alone).
 *
 *   java -cp 'queue-gateway/target/quarkus-app/lib/main/*:test-support/target/classes' loadtest/queue/WaitAccuracyBench.java \
 *     --port 8082 --sale 1 --shoppers 300 --first-user 1 --pattern steady|irregular|bursty [--key run/secrets/privateKey.pem]
 *
 * Patterns: steady, every shopper stays 2 to 6 s (uniform); irregular, stays are exponential with a
 * mean of 4 s (slots free in clumps, some at once, some after 15 s); bursty, the same and one shopper
 * in 20 never leaves (its slot frees only when its window ends, so at times several of the slots are
 * blocked at once).
 */
public class WaitAccuracyBench {

    record Frame(long atMs, long ahead, long min, long max) {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1", pattern = "steady";
        String key = System.getenv().getOrDefault("SMALLRYE_JWT_SIGN_KEY_LOCATION", "run/secrets/privateKey.pem");
        int port = 8082, shoppers = 300;
        long sale = 1, firstUser = 1, seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--sale" -> sale = Long.parseLong(args[++i]);
                case "--shoppers" -> shoppers = Integer.parseInt(args[++i]);
                case "--first-user" -> firstUser = Long.parseLong(args[++i]);
                case "--pattern" -> pattern = args[++i];
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--key" -> key = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!List.of("steady", "irregular", "bursty").contains(pattern)) {
            throw new IllegalArgumentException("--pattern steady, irregular or bursty");
        }
        SessionTokens minter = SessionTokens.fromPem(Path.of(key)).lasting(Duration.ofHours(1));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(shoppers));
        Random random = new Random(seed);
        boolean steady = pattern.equals("steady");
        List<List<Frame>> frames = new ArrayList<>();
        long[] admittedAt = new long[shoppers];
        long[] leftAt = new long[shoppers];
        CountDownLatch allAdmitted = new CountDownLatch(shoppers);
        List<Future<?>> connecting = new ArrayList<>();
        for (int i = 0; i < shoppers; i++) {
            int index = i;
            List<Frame> mine = new CopyOnWriteArrayList<>();
            frames.add(mine);
            // Drawn up front, in join order, so that a pattern is the same on every run with its seed.
            long stayMs = steady ? 2000 + random.nextInt(4001)
                    : pattern.equals("bursty") && random.nextInt(20) == 0 ? Long.MAX_VALUE
                    : Math.round(-Math.log(1 - random.nextDouble()) * 4000);
            String session = minter.session(firstUser + i, "wait" + (firstUser + i) + "@test.miaosha.dev", "shopper");
            ClientWebSocket ws = client.webSocket();
            ws.textMessageHandler(text -> {
                JsonObject message = new JsonObject(text);
                long now = System.currentTimeMillis();
                switch (message.getString("type")) {
                    case "position" -> {
                        JsonObject wait = message.getJsonObject("waitSeconds");
                        mine.add(new Frame(now, message.getLong("ahead"), wait.getLong("min"), wait.getLong("max")));
                    }
                    case "admitted" -> {
                        if (admittedAt[index] == 0) {
                            admittedAt[index] = now;
                            allAdmitted.countDown();
                            if (stayMs != Long.MAX_VALUE) {
                                vertx.setTimer(Math.max(1, stayMs), t -> {
                                    leftAt[index] = System.currentTimeMillis();
                                    ws.writeTextMessage("{\"type\":\"leave\"}");
                                });
                            }
                        }
                    }
                    default -> { }
                }
            });
            connecting.add(ws.connect(new WebSocketConnectOptions().setHost(host).setPort(port)
                    .setURI("/ws/sales/" + sale + "/queue" + io.miaosha.testsupport.AltchaSolver.query(
                            io.miaosha.testsupport.AltchaSolver.fetchAndSolve(io.miaosha.testsupport.AltchaSolver.challengeUri(host, port, sale))))
                    .setSubProtocols(List.of("miaosha.v1", "bearer." + session))));
            // Joins in order, so that ticket order is shopper order.
            Future.join(List.of(connecting.getLast())).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        long start = System.currentTimeMillis();
        System.out.printf("%s: %d shoppers joined%n", pattern, shoppers);
        if (!allAdmitted.await(30, TimeUnit.MINUTES)) {
            System.out.printf("only %d of %d admitted%n", shoppers - allAdmitted.getCount(), shoppers);
        }
        System.out.printf("all admitted in %.1f s%n", (System.currentTimeMillis() - start) / 1000.0);

        long tenthLeft = Arrays.stream(leftAt).filter(t -> t > 0).sorted().skip(9).findFirst().orElse(Long.MAX_VALUE);
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < shoppers; i++) {
            for (Frame frame : frames.get(i)) {
                if (admittedAt[i] == 0) {
                    continue;
                }
                double real = (admittedAt[i] - frame.atMs()) / 1000.0;
                all.add(new double[] {frame.min(), frame.max(), real, frame.atMs() >= tenthLeft ? 1 : 0});
            }
        }
        print("all frames", all);
        print("waits over 10 s", all.stream().filter(f -> f[2] > 10).toList());
        print("once 10 shoppers left", all.stream().filter(f -> f[3] == 1).toList());
        vertx.close();
    }

    private static void print(String what, List<double[]> frames) {
        if (frames.isEmpty()) {
            System.out.printf("%-22s no frames%n", what);
            return;
        }
        // A real wait under a fifth of a second is one admission step: no relative error makes sense.
        double[] errors = frames.stream().mapToDouble(f -> ((f[0] + f[1]) / 2 - Math.max(0.2, f[2])) / Math.max(0.2, f[2]))
                .toArray();
        double[] absolute = Arrays.stream(errors).map(Math::abs).sorted().toArray();
        double[] signed = Arrays.stream(errors).sorted().toArray();
        // The range holds the truth within the half second a frame's whole seconds can be off by.
        long held = frames.stream().filter(f -> f[0] - 0.5 <= f[2] && f[2] <= f[1] + 0.5).count();
        System.out.printf("%-22s %6d frames: median |error| %5.1f%%, bias (signed median) %+5.1f%%, p90 |error| %5.1f%%, range holds the real wait %4.1f%%%n",
                what, frames.size(), 100 * absolute[absolute.length / 2], 100 * signed[signed.length / 2],
                100 * absolute[(int) (absolute.length * 0.9)], 100.0 * held / frames.size());
    }
}
