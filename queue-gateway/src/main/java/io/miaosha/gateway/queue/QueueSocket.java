package io.miaosha.gateway.queue;

import io.miaosha.gateway.auth.SessionAuthCheck;
import io.miaosha.gateway.pow.JoinGate;
import io.miaosha.gateway.pow.JoinProof;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPingMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.regex.Pattern;

/**
 * The waiting room's socket: an adapter from WebSocket callbacks to {@link WaitingRoom} (opening,
 * closing) and {@link ClientFrames} (what the client sends, and failures). The shopper was
 * authenticated during the upgrade ({@link SessionAuthCheck}). Everything runs on the event loop
 * and returns without blocking.
 */
// CONCURRENT: the serial mode queues each socket's callbacks behind its open through a per-socket
// queue (1 KB of heap per idle socket); WaitingRoom orders a leave or close that overtakes the join.
@WebSocket(path = "/ws/sales/{saleId}/queue", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class QueueSocket {

    /** A sale id as the API writes it: no sign, no leading zero, fits a long. */
    private static final Pattern SALE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final WaitingRoom waitingRoom;
    private final ClientFrames frames;
    private final JoinGate gate;

    public QueueSocket(WaitingRoom waitingRoom, ClientFrames frames, JoinGate gate) {
        this.waitingRoom = waitingRoom;
        this.frames = frames;
        this.gate = gate;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection, @PathParam String saleId) {
        SessionAuthCheck.releaseUpgradeRequest(connection.userData());
        Long userId = connection.userData().get(SessionAuthCheck.USER_ID);
        JoinProof proof = connection.userData().remove(JoinProof.KEY);
        if (userId == null || saleId == null || !SALE_ID.matcher(saleId).matches()) {
            return refuse(connection, Refusal.BAD_SALE_ID);
        }
        long sale = Long.parseLong(saleId);
        // The join is paid for before the waiting room sees the socket: a refused one writes no queue state.
        return gate.admit(sale, userId, proof)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("could not check the proof-of-work of a socket of sale %d: %s", sale, failure.getMessage());
                    return null;
                })
                .chain(verdict -> switch (verdict) {
                    case null -> refuse(connection, Refusal.UNAVAILABLE);
                    case ACCEPTED, NO_WAITING_ROOM -> connection.isOpen() ? waitingRoom.open(connection, sale, userId)
                            : Uni.createFrom().voidItem();
                    case MISSING -> refuse(connection, Refusal.PROOF_MISSING);
                    case INVALID -> refuse(connection, Refusal.PROOF_INVALID);
                    case EXPIRED -> refuse(connection, Refusal.PROOF_EXPIRED);
                    case OTHER_SALE -> refuse(connection, Refusal.PROOF_OTHER_SALE);
                    case REPLAYED -> refuse(connection, Refusal.PROOF_USED);
                    case ACCOUNT_LIMIT -> refuse(connection, Refusal.JOINS_PER_ACCOUNT, gate.joinsPerAccount(), gate.limitWindowSeconds());
                    case ADDRESS_LIMIT -> refuse(connection, Refusal.JOINS_PER_ADDRESS, gate.joinsPerAddress(), gate.limitWindowSeconds());
                });
    }

    private static Uni<Void> refuse(WebSocketConnection connection, Refusal refusal, Object... details) {
        return connection.sendText(refusal.error(details)).onTermination().call(() -> connection.close(refusal.close));
    }

    @OnTextMessage
    public Uni<Void> onMessage(WebSocketConnection connection, String text) {
        return frames.text(connection, text);
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(WebSocketConnection connection, Buffer data) {
        return frames.binary(connection);
    }

    @OnPingMessage
    public void onPing(WebSocketConnection connection, Buffer data) {
        frames.ping(connection);
    }

    @OnClose
    public Uni<Void> onClose(WebSocketConnection connection) {
        return waitingRoom.closed(connection);
    }

    @OnError
    public Uni<Void> onError(WebSocketConnection connection, Throwable failure) {
        return frames.failed(connection, failure);
    }
}
