package io.miaosha.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sale page's live feed as a browser opens it: no session, no subprotocol; records every frame and the close. */
public final class LiveViewer {

    public final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final ClientWebSocket socket;
    public volatile Short closeCode;
    public volatile String closeReason;

    private LiveViewer(ClientWebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(text -> received.add(new JsonObject(text)));
        socket.closeHandler(v -> {
            closeReason = socket.closeReason();
            closeCode = socket.closeStatusCode();
        });
    }

    /**
     * Opens the feed and waits for its first frame (or its close). The Vert.x client now and then
     * drops a frame that arrives with the 101 response (see {@link QueueClient#connect}), or fails the
     * connect when the close follows at once: like a page that sees a silent socket, it then opens again.
     */
    public static LiveViewer open(Vertx vertx, int port, String saleId) {
        return open(vertx, port, saleId, 1);
    }

    /**
     * The same, waiting for the first {@code firstFrames} frames (a seated sale's feed opens with two:
     * the sale and its map). The frames that come with the 101 are the ones the client may drop.
     */
    public static LiveViewer open(Vertx vertx, int port, String saleId, int firstFrames) {
        LiveViewer viewer = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            ClientWebSocket socket = vertx.createWebSocketClient().webSocket();
            viewer = new LiveViewer(socket);
            try {
                QueueClient.await(socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                        .setURI("/ws/sales/" + saleId + "/live")));
            } catch (AssertionError closedDuringHandshake) {
                // A refusal closes the socket right after the 101; the client may then fail the
                // connect and lose the frame. A page would open again; so does this viewer.
                if (attempt == 3) {
                    throw closedDuringHandshake;
                }
                continue;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (viewer.received.size() < firstFrames && viewer.closeCode == null && System.nanoTime() < deadline) {
                QueueClient.sleep(20);
            }
            if (viewer.received.size() >= firstFrames || viewer.closeCode != null) {
                return viewer;
            }
            viewer.close();
        }
        return viewer;
    }

    public static LiveViewer open(Vertx vertx, int port, long saleId) {
        return open(vertx, port, Long.toString(saleId));
    }

    public JsonObject last() {
        return received.isEmpty() ? null : received.get(received.size() - 1);
    }

    public void send(String text) {
        QueueClient.await(socket.writeTextMessage(text));
    }

    public void close() {
        if (closeCode == null && !socket.isClosed()) {
            QueueClient.await(socket.close());
        }
    }
}
