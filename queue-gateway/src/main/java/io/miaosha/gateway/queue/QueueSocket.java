package io.miaosha.gateway.queue;

import io.miaosha.gateway.auth.SessionAuthCheck;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * The waiting room's socket: an adapter from WebSocket callbacks to {@link WaitingRoom}. The shopper
 * was authenticated during the upgrade ({@link SessionAuthCheck}). Everything runs on the event loop
 * and returns without blocking.
 */
// CONCURRENT: the serial mode queues each socket's callbacks behind its open through a per-socket
// queue (1 KB of heap per idle socket); WaitingRoom orders a leave or close that overtakes the join.
@WebSocket(path = "/ws/sales/{saleId}/queue", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class QueueSocket {

    private final WaitingRoom waitingRoom;

    public QueueSocket(WaitingRoom waitingRoom) {
        this.waitingRoom = waitingRoom;
    }

    /** The one message a client sends. */
    public record ClientMessage(String type) {
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection, @PathParam String saleId) {
        SessionAuthCheck.releaseUpgradeRequest(connection.userData());
        Long userId = connection.userData().get(SessionAuthCheck.USER_ID);
        long sale = parseSaleId(saleId);
        if (sale <= 0 || userId == null) {
            return connection.sendText(new Messages.Error("bad-sale-id", "The sale id must be a positive number."))
                    .chain(() -> connection.close());
        }
        return waitingRoom.open(connection, sale, userId);
    }

    @OnTextMessage
    public Uni<Void> onMessage(WebSocketConnection connection, String text) {
        if (text != null && text.replace(" ", "").contains("\"type\":\"leave\"")) {
            return waitingRoom.leave(connection);
        }
        return connection.sendText(new Messages.Error("unknown-message",
                "The only message a client may send is {\"type\":\"leave\"}."));
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        return waitingRoom.closed(connection);
    }

    private static long parseSaleId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
