package io.miaosha.gateway.orders;

import io.miaosha.gateway.queue.Messages;
import io.miaosha.gateway.socket.SocketClose;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.Json;

/**
 * Why the orders socket ends a shopper's socket: an {@code error} frame with the reason and a sentence,
 * then the close code and the same reason (the waiting room's codes for the same cases).
 */
enum OrderRefusal {
    TOO_MANY_CONNECTIONS(1008, "too-many-connections",
            "This account has too many pages with live order updates open: close one, and this page checks its order every few seconds meanwhile."),
    READ_ONLY(1008, "read-only", "The orders socket only sends: a page has nothing to say to it.");

    final SocketClose close;
    final String frame;

    OrderRefusal(int code, String reason, String message) {
        this.close = new SocketClose(code, reason);
        // Encoded once: a refusal is the same for every socket it ends.
        this.frame = Json.encode(new Messages.Error(reason, message));
    }

    void end(ServerWebSocket socket) {
        close.closeAfter(socket, frame);
    }
}
