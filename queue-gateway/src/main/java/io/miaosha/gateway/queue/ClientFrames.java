package io.miaosha.gateway.queue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.config.WebSocketsServerRuntimeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClosedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * What the gateway does with what a client sends. A page sends one {@code {"type":"leave"}} in its
 * life, so anything else is cheap to refuse: a socket over its frame allowance is closed with 1008,
 * a text frame that is not valid UTF-8 or not one JSON object with 1007, a binary frame with 1003, a
 * message over the size limit with 1009 (frame-level protocol errors, 1002, never get here: see
 * {@link ProtocolViolationGuard}). Each such close logs one line, without a stack trace: a client
 * that misbehaves must not be able to fill the log. A well-formed message of an unknown type only
 * gets an {@code error} frame, so a newer page keeps working against an older gateway.
 */
@ApplicationScoped
public class ClientFrames {

    /** Duplicate keys and trailing data are as invalid as a syntax error: one message, one meaning. */
    private static final ObjectReader JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).reader();
    /** What the gateway's application.properties sets; only used were the setting removed. */
    private static final int DEFAULT_MAX_MESSAGE_BYTES = 1024;

    private final WaitingRoom waitingRoom;
    private final FrameAllowance allowance;
    private final int maxMessageBytes;

    public ClientFrames(WaitingRoom waitingRoom, FrameAllowance allowance, WebSocketsServerRuntimeConfig server) {
        this.waitingRoom = waitingRoom;
        this.allowance = allowance;
        // The limit the server enforces (application.properties sets it), told to the client it closes.
        this.maxMessageBytes = server.maxMessageSize().orElse(DEFAULT_MAX_MESSAGE_BYTES);
    }

    enum Kind { LEAVE, UNKNOWN, INVALID }

    public Uni<Void> text(WebSocketConnection connection, String text) {
        if (connection.userData().get(Shopper.KEY) == null) {
            // Before the join (its proof-of-work is still being checked): only a leave counts, kept for the join.
            return kind(text) == Kind.LEAVE ? waitingRoom.leave(connection) : Uni.createFrom().voidItem();
        }
        Shopper shopper = allowed(connection);
        if (shopper == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (kind(text)) {
            case LEAVE -> waitingRoom.leave(connection);
            case UNKNOWN -> connection.sendText(new Messages.Error("unknown-message",
                    "The only message a client may send is {\"type\":\"leave\"}."));
            case INVALID -> end(shopper, Refusal.INVALID_MESSAGE);
        };
    }

    public Uni<Void> binary(WebSocketConnection connection) {
        Shopper shopper = allowed(connection);
        return shopper == null ? Uni.createFrom().voidItem() : end(shopper, Refusal.BINARY_MESSAGE);
    }

    /** Pings are answered by the server on its own; they only count against the allowance. */
    public void ping(WebSocketConnection connection) {
        allowed(connection);
    }

    /**
     * A failure on the socket that no callback handled: a message over the size limit (Vert.x stops
     * aggregating its frames), a reset connection, anything else. One line each, never a stack trace.
     */
    public Uni<Void> failed(WebSocketConnection connection, Throwable failure) {
        Shopper shopper = connection.userData().get(Shopper.KEY);
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            return shopper != null ? end(shopper, Refusal.MESSAGE_TOO_BIG, maxMessageBytes) : close(connection, Refusal.MESSAGE_TOO_BIG.close);
        }
        if (failure instanceof IOException || failure instanceof HttpClosedException) {
            // A tab closed or a network dropped without a close frame: an everyday event, not news.
            Log.debugf("socket %s ended: %s", connection.id(), failure.toString());
            return Uni.createFrom().voidItem();
        } else {
            Log.warnf("closing socket %s after an unexpected failure: %s", connection.id(), failure.toString());
        }
        return close(connection, Refusal.UNAVAILABLE.close);
    }

    /** The socket's shopper when this frame is within its allowance; null (and the socket closing) otherwise. */
    private Shopper allowed(WebSocketConnection connection) {
        Shopper shopper = connection.userData().get(Shopper.KEY);
        // Done: the socket is closing (a leave, a refusal); what else it sends changes nothing.
        if (shopper == null || shopper.isDone()) {
            return null;
        }
        if (allowance.allow(shopper, System.currentTimeMillis())) {
            return shopper;
        }
        end(shopper, Refusal.TOO_MANY_MESSAGES);
        return null;
    }

    private Uni<Void> end(Shopper shopper, Refusal refusal, Object... details) {
        Log.infof("closing a socket of user %d on sale %d: %s (%d)", shopper.userId, shopper.saleId, refusal.reason,
                refusal.close.getCode());
        shopper.refuse(refusal, details);
        return Uni.createFrom().voidItem();
    }

    private static Uni<Void> close(WebSocketConnection connection, CloseReason reason) {
        return connection.isOpen() ? connection.close(reason).onFailure().recoverWithNull() : Uni.createFrom().voidItem();
    }

    /**
     * Vert.x decodes a text frame's bytes with replacement, so bytes that are not UTF-8 arrive as
     * U+FFFD; no message of this protocol contains that character, so it stands for invalid UTF-8.
     */
    static Kind kind(String text) {
        if (text == null || text.indexOf('\uFFFD') >= 0) {
            return Kind.INVALID;
        }
        try {
            JsonNode message = JSON.readTree(text);
            if (message == null || !message.isObject()) {
                return Kind.INVALID;
            }
            return "leave".equals(message.path("type").textValue()) ? Kind.LEAVE : Kind.UNKNOWN;
        } catch (IOException notJson) {
            return Kind.INVALID;
        }
    }
}
