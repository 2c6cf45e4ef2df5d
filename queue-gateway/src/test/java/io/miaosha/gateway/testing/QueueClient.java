package io.miaosha.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.miaosha.testsupport.AltchaSolver;
import io.miaosha.testsupport.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A shopper's browser tab: a real WebSocket to the gateway that records every message it gets. */
public final class QueueClient {

    public final long userId;
    public final List<JsonObject> received = new CopyOnWriteArrayList<>();
    /** When each message of {@link #received} arrived, at the same index. */
    private final List<Long> receivedAtMs = new CopyOnWriteArrayList<>();
    private final WebSocket socket;
    public volatile boolean closed;

    private QueueClient(long userId, WebSocket socket) {
        this.userId = userId;
        this.socket = socket;
        socket.textMessageHandler(text -> {
            receivedAtMs.add(System.currentTimeMillis());
            received.add(new JsonObject(text));
        });
        socket.closeHandler(v -> closed = true);
    }

    public static Future<QueueClient> open(WebSocketClient client, int port, long saleId, long userId) {
        return open(client, "127.0.0.1", port, saleId, userId, SessionTokens.dev().shopper(userId));
    }

    /** Pays for the join as a scripted client would (fetches the sale's challenge and solves it), then connects. */
    public static Future<QueueClient> open(WebSocketClient client, String host, int port, long saleId, long userId,
            String session) {
        return Future.fromCompletionStage(AltchaSolver.solveAsync(AltchaSolver.challengeUri(host, port, saleId)))
                .compose(solution -> open(client, host, port, "/ws/sales/" + saleId + "/queue" + AltchaSolver.query(solution),
                        userId, session));
    }

    /** Connects to a socket path as given: with a solution of the caller's, or none. */
    public static Future<QueueClient> open(WebSocketClient client, String host, int port, String uri, long userId,
            String session) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port)
                .setURI(uri).setSubProtocols(List.of("miaosha.v1", "bearer." + session));
        // Handlers go on before connecting: the server's first frame can arrive with the upgrade response.
        ClientWebSocket socket = client.webSocket();
        QueueClient queueClient = new QueueClient(userId, socket);
        return socket.connect(options).map(connected -> queueClient);
    }

    /**
     * Connects and waits for the gateway's first message. Now and then (seen a few times in a
     * hundred runs on a loaded 2-core machine) this Vert.x client loses the first frame: the gateway
     * did write it ({@code FirstFramesTest} reads the first frames of 300 sockets off the wire, all
     * there, in order), so the client drops what arrives in the same read as the 101 response. Like
     * a browser tab that sees a silent socket, it then reconnects, which keeps the ticket (grace
     * period). Tests that assert the first frames themselves use {@link #open} instead.
     */
    /** What the gateway writes first on a socket: the sale's state, or the refusal before the close. */
    private static final java.util.Set<String> FIRST_FRAMES = java.util.Set.of("sale", "error", "closed");

    public static QueueClient connect(Vertx vertx, int port, long saleId, long userId) {
        return connect(vertx, port, saleId, userId, SessionTokens.dev().shopper(userId));
    }

    /** As {@link #connect(Vertx, int, long, long)} with a session token of the caller's. */
    public static QueueClient connect(Vertx vertx, int port, long saleId, long userId, String session) {
        QueueClient client = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            client = await(open(vertx.createWebSocketClient(), "127.0.0.1", port, saleId, userId, session));
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (client.received.isEmpty() && !client.closed && System.nanoTime() < deadline) {
                sleep(20);
            }
            if (client.received.isEmpty() ? client.closed : FIRST_FRAMES.contains(client.received.get(0).getString("type"))) {
                return client;
            }
            // The lost frame may be the first of several: a position frame then arrives without its sale frame.
            System.err.printf("user %d: no first frame within 3 s of connecting (attempt %d, got %s); reconnecting%n",
                    userId, attempt, client.received);
            client.close();
        }
        return client;
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("WebSocket operation failed: " + e, e);
        }
    }

    public String subprotocol() {
        return socket.subProtocol();
    }

    public void send(String text) {
        await(socket.writeTextMessage(text));
    }

    /** Sends without waiting (to race the server's open). */
    public Future<Void> sendAsync(String text) {
        return socket.writeTextMessage(text);
    }

    public Future<Void> closeAsync() {
        return socket.close();
    }

    public void leave() {
        send("{\"type\":\"leave\"}");
    }

    public void close() {
        if (!closed) {
            await(socket.close());
        }
    }

    /** The first message of this type, waiting up to {@code timeout}; fails the test otherwise. */
    public JsonObject await(String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject found = first(type);
            if (found != null) {
                return found;
            }
            sleep(20);
        }
        fail("user " + userId + " got no '" + type + "' message within " + timeout + "; got " + received);
        return null;
    }

    /** The first message of any type: the socket is open and the gateway has answered the join. */
    public JsonObject awaitAny(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!received.isEmpty()) {
                return received.get(0);
            }
            sleep(20);
        }
        fail("user " + userId + " got no message within " + timeout);
        return null;
    }

    /** When {@code message} (one of {@link #received}) arrived, in epoch milliseconds. */
    public long receivedAt(JsonObject message) {
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i) == message) {
                return receivedAtMs.get(i);
            }
        }
        throw new IllegalArgumentException("not a message of this client: " + message);
    }

    public JsonObject first(String type) {
        for (JsonObject message : received) {
            if (type.equals(message.getString("type"))) {
                return message;
            }
        }
        return null;
    }

    public JsonObject last(String type) {
        JsonObject found = null;
        for (JsonObject message : received) {
            if (type.equals(message.getString("type"))) {
                found = message;
            }
        }
        return found;
    }

    public boolean admitted() {
        return first("admitted") != null;
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
