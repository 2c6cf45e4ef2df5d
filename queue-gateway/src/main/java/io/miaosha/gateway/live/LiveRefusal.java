package io.miaosha.gateway.live;

import io.miaosha.gateway.queue.Messages;
import io.miaosha.gateway.socket.SocketClose;

/**
 * Why the live feed refuses or ends a viewer's socket: an {@code error} frame with the reason and a
 * sentence, then the close code and the same reason (the waiting room's codes for the same cases).
 */
enum LiveRefusal {
    BAD_SALE_ID(4400, "bad-sale-id", "The sale id must be a positive whole number, as in /ws/sales/42/live."),
    SALE_NOT_AVAILABLE(4404, "sale-not-available",
            "This sale has no live state: it is unknown or not armed yet. The page shows the catalog's figures meanwhile."),
    READ_ONLY(1008, "read-only", "The live feed only sends: a viewer has nothing to say to it."),
    UNAVAILABLE(1011, "unavailable", "The live feed cannot reach its store right now: this page reconnects by itself.");

    final SocketClose close;
    final String frame;

    LiveRefusal(int code, String reason, String message) {
        this.close = new SocketClose(code, reason);
        // Encoded once: a refusal is the same for every socket it ends.
        this.frame = io.vertx.core.json.Json.encode(new Messages.Error(reason, message));
    }
}
