package io.miaosha.gateway.queue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.miaosha.gateway.socket.SocketConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;
import io.vertx.core.http.HttpClosedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * What the gateway does with what a client sends. A page sends one {@code {"type":"leave"}} in its
 * life, so anything else is cheap to refuse: a socket over its frame allowance is closed with 1008,
 * a text frame that is not valid UTF-8 or not one JSON object with 1007, a binary frame with 1003, a
 * message over the size limit with 1009 (frame-level protocol errors, 1002, never get here: see
 * {@link io.miaosha.gateway.socket.ProtocolViolationGuard}). Each such close logs one line, without a stack trace: a client
 * that misbehaves must not be able to fill the log. A well-formed message of an unknown type only
 * gets an {@code error} frame, so a newer page keeps working against an older gateway.
 */
@ApplicationScoped
public class ClientFrames {

    /** Duplicate keys and trailing data are as invalid as a syntax error: one message, one meaning. */
    private static final ObjectReader JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).reader();

    private final WaitingRoom waitingRoom;
    private final FrameAllowance allowance;
    private final int maxMessageBytes;

    public ClientFrames(WaitingRoom waitingRoom, FrameAllowance allowance, SocketConfig sockets) {
        this.waitingRoom = waitingRoom;
        this.allowance = allowance;
        // The limit the server enforces (SocketServerOptions), told to the client it closes.
        this.maxMessageBytes = sockets.maxMessageSize();
    }

    enum Kind { LEAVE, UNKNOWN, INVALID }

    /** Encoded once: the answer to every message of an unknown type. */
    private static final String UNKNOWN_MESSAGE = Json.encode(new Messages.Error("unknown-message",
            "The only message a client may send is {\"type\":\"leave\"}."));

    Uni<Void> text(Shopper shopper, String text) {
        if (!shopper.isJoining()) {
            // Before the join (its proof-of-work is still being checked): only a leave counts, kept for the join.
            return kind(text) == Kind.LEAVE ? waitingRoom.leave(shopper) : Uni.createFrom().voidItem();
        }
        if (!allowed(shopper)) {
            return Uni.createFrom().voidItem();
        }
        return switch (kind(text)) {
            case LEAVE -> waitingRoom.leave(shopper);
            case UNKNOWN -> {
                shopper.sendFrame(UNKNOWN_MESSAGE);
                yield Uni.createFrom().voidItem();
            }
            case INVALID -> end(shopper, Refusal.INVALID_MESSAGE);
        };
    }

    Uni<Void> binary(Shopper shopper) {
        return allowed(shopper) ? end(shopper, Refusal.BINARY_MESSAGE) : Uni.createFrom().voidItem();
    }

    /** Pings are answered by the server on its own; they only count against the allowance. */
    void ping(Shopper shopper) {
        allowed(shopper);
    }

    /**
     * A failure on the socket that no callback handled: a message over the size limit (Vert.x stops
     * aggregating its frames), a reset connection, anything else. One line each, never a stack trace.
     */
    void failed(Shopper shopper, Throwable failure) {
        if (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size")) {
            end(shopper, Refusal.MESSAGE_TOO_BIG, maxMessageBytes);
            return;
        }
        if (failure instanceof IOException || failure instanceof HttpClosedException) {
            // A tab closed or a network dropped without a close frame: an everyday event, not news.
            Log.debugf("a socket of user %d on sale %d ended: %s", shopper.userId, shopper.saleId, failure.toString());
            return;
        }
        Log.warnf("closing a socket of user %d on sale %d after an unexpected failure: %s", shopper.userId, shopper.saleId,
                failure.toString());
        Refusal.UNAVAILABLE.close.close(shopper.socket());
    }

    /** Whether this frame is within the socket's allowance; when it is not, the socket is closing. */
    private boolean allowed(Shopper shopper) {
        // Not joining yet (its proof-of-work is checked) or done (closing: a leave, a refusal): what it
        // sends changes nothing.
        if (!shopper.isJoining() || shopper.isDone()) {
            return false;
        }
        if (allowance.allow(shopper, System.currentTimeMillis())) {
            return true;
        }
        end(shopper, Refusal.TOO_MANY_MESSAGES);
        return false;
    }

    private Uni<Void> end(Shopper shopper, Refusal refusal, Object... details) {
        Log.infof("closing a socket of user %d on sale %d: %s (%d)", shopper.userId, shopper.saleId, refusal.reason,
                refusal.close.code());
        shopper.refuse(refusal, details);
        return Uni.createFrom().voidItem();
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
