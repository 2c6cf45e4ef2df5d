package io.miaosha.gateway.queue;

import io.miaosha.gateway.auth.SessionAuthCheck;
import io.miaosha.gateway.pow.JoinGate;
import io.miaosha.gateway.pow.JoinProof;
import io.miaosha.gateway.pow.JoinProofCheck;
import io.miaosha.gateway.socket.SocketUpgrade;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;

/**
 * The waiting room's socket, {@code /ws/sales/{id}/queue}: a Vert.x route that authenticates the
 * upgrade ({@link SessionAuthCheck}: 401, or 503 when Redis cannot answer), upgrades it to a plain
 * {@link ServerWebSocket}, and adapts the socket's events to {@link WaitingRoom} (open, leave, close)
 * and {@link ClientFrames} (what the client sends, and failures). Plain Vert.x rather than a
 * WebSocket framework because an idle socket must cost at most 6 KB of heap: the framework's
 * per-connection objects (its connection, handshake copy, user data, ping timer) were most of 8 KB.
 * Here a socket is Vert.x's own objects and one {@link Shopper}, which its handlers share; pings come
 * from one timer for all sockets ({@code SocketPings}). Everything runs on the event loop.
 */
@ApplicationScoped
public class QueueSocket {

    /** A sale id as the API writes it: no sign, no leading zero, fits a long. */
    private static final Pattern SALE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final WaitingRoom waitingRoom;
    private final ClientFrames frames;
    private final JoinGate gate;
    private final JoinProofCheck proofs;
    private final SessionAuthCheck sessions;

    public QueueSocket(WaitingRoom waitingRoom, ClientFrames frames, JoinGate gate, JoinProofCheck proofs,
            SessionAuthCheck sessions) {
        this.waitingRoom = waitingRoom;
        this.frames = frames;
        this.gate = gate;
        this.proofs = proofs;
        this.sessions = sessions;
    }

    void routes(@Observes Router router) {
        router.get("/ws/sales/:saleId/queue").handler(this::upgrade);
    }

    private void upgrade(RoutingContext context) {
        HttpServerRequest request = SocketUpgrade.hold(context);
        if (request == null) {
            return;
        }
        String saleId = context.pathParam("saleId");
        // Taken before the session check, which drops every header but the handshake's.
        JoinProof proof = proofs.proofOf(request);
        sessions.session(request).subscribe().with(session -> {
            if (session == null) {
                SocketUpgrade.refuse(request, 401);
                return;
            }
            SocketUpgrade.accept(request).onSuccess(socket -> opened(socket, saleId, session, proof))
                    .onFailure(failure -> Log.debugf("a queue socket's upgrade failed: %s", failure.toString()));
        }, failure -> SocketUpgrade.refuse(request, 503));
    }

    /**
     * The socket is open: its handlers go on first (a leave or a close may come while the join is
     * decided), then the join is paid for before the waiting room sees the socket, so a refused one
     * writes no queue state.
     */
    private void opened(ServerWebSocket socket, String saleId, SessionAuthCheck.Session session, JoinProof proof) {
        if (saleId == null || !SALE_ID.matcher(saleId).matches()) {
            Refusal.BAD_SALE_ID.close.closeAfter(socket, Json.encode(Refusal.BAD_SALE_ID.error()));
            return;
        }
        long sale = Long.parseLong(saleId);
        long userId = session.userId();
        Shopper shopper = new Shopper(sale, userId, session.emailVerified(), socket);
        listen(socket, shopper);
        gate.admit(sale, userId, proof)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("could not check the proof-of-work of a socket of sale %d: %s", sale, failure.getMessage());
                    return null;
                })
                .chain(verdict -> {
                    switch (verdict) {
                        case null -> shopper.refuse(Refusal.UNAVAILABLE);
                        case ACCEPTED, NO_WAITING_ROOM -> {
                            if (shopper.isOpen()) {
                                return waitingRoom.open(shopper);
                            }
                        }
                        case MISSING -> shopper.refuse(Refusal.PROOF_MISSING);
                        case INVALID -> shopper.refuse(Refusal.PROOF_INVALID);
                        case EXPIRED -> shopper.refuse(Refusal.PROOF_EXPIRED);
                        case OTHER_SALE -> shopper.refuse(Refusal.PROOF_OTHER_SALE);
                        case REPLAYED -> shopper.refuse(Refusal.PROOF_USED);
                        case ACCOUNT_LIMIT -> shopper.refuse(Refusal.JOINS_PER_ACCOUNT, gate.joinsPerAccount(), gate.limitWindowSeconds());
                        case ADDRESS_LIMIT -> shopper.refuse(Refusal.JOINS_PER_ADDRESS, gate.joinsPerAddress(), gate.limitWindowSeconds());
                    }
                    return Uni.createFrom().voidItem();
                })
                .subscribe().with(ok -> { }, failure -> Log.warnf("a socket of sale %d failed to join: %s", sale,
                        failure.toString()));
    }

    private void listen(ServerWebSocket socket, Shopper shopper) {
        socket.textMessageHandler(text -> frames.text(shopper, text).subscribe().with(ok -> { }, failure -> { }));
        socket.binaryMessageHandler(data -> frames.binary(shopper).subscribe().with(ok -> { }, failure -> { }));
        // Every frame passes here too; only pings matter (answered by Vert.x, counted against the allowance).
        socket.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.PING) {
                frames.ping(shopper);
            }
        });
        socket.exceptionHandler(failure -> frames.failed(shopper, failure));
        socket.closeHandler(closed -> waitingRoom.closed(shopper).subscribe().with(ok -> { }, failure -> { }));
    }
}
