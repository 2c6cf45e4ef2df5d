package io.miaosha.gateway.live;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import java.util.regex.Pattern;

/**
 * A sale page's live state for anyone viewing it, signed in or not (the session check skips this
 * endpoint: the state is what the public catalog shows, only sooner). An adapter to {@link LiveFeeds};
 * a viewer sends nothing, so any frame it sends ends its socket.
 */
@WebSocket(path = "/ws/sales/{saleId}/live", endpointId = LiveSocket.ENDPOINT_ID,
        inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class LiveSocket {

    public static final String ENDPOINT_ID = "miaosha-live";
    private static final Pattern SALE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final LiveFeeds feeds;

    public LiveSocket(LiveFeeds feeds) {
        this.feeds = feeds;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection, @PathParam String saleId) {
        if (saleId == null || !SALE_ID.matcher(saleId).matches()) {
            return LiveFeeds.refuse(connection, LiveRefusal.BAD_SALE_ID);
        }
        return feeds.watch(connection, Long.parseLong(saleId));
    }

    @OnTextMessage
    public Uni<Void> onText(WebSocketConnection connection, String text) {
        return LiveFeeds.refuse(connection, LiveRefusal.READ_ONLY);
    }

    @OnBinaryMessage
    public Uni<Void> onBinary(WebSocketConnection connection, Buffer data) {
        return LiveFeeds.refuse(connection, LiveRefusal.READ_ONLY);
    }

    @OnClose
    public void onClose(WebSocketConnection connection, @PathParam String saleId) {
        if (saleId != null && SALE_ID.matcher(saleId).matches()) {
            feeds.unwatch(connection, Long.parseLong(saleId));
        }
    }

    @OnError
    public Uni<Void> onError(WebSocketConnection connection, Throwable failure) {
        return connection.close(new io.quarkus.websockets.next.CloseReason(1011, "unavailable")).onFailure().recoverWithNull();
    }
}
