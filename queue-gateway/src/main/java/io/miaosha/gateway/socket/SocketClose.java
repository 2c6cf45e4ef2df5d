package io.miaosha.gateway.socket;

import io.vertx.core.http.ServerWebSocket;

/** A close frame's code and reason, as the server sends it when it ends a socket itself. */
public record SocketClose(int code, String reason) {

    public static final SocketClose NORMAL = new SocketClose(1000, null);

    /** Closes the socket with this code and reason; a socket already closing stays as it is. */
    public void close(ServerWebSocket socket) {
        if (!socket.isClosed()) {
            socket.close((short) code, reason);
        }
    }

    /** Writes one last text frame, then closes with this code and reason (the close follows the frame). */
    public void closeAfter(ServerWebSocket socket, String frame) {
        if (socket.isClosed()) {
            return;
        }
        socket.writeTextMessage(frame).onComplete(written -> close(socket));
    }
}
