package io.miaosha.gateway.socket;

import io.vertx.core.http.ServerWebSocket;
import java.util.function.Consumer;

/**
 * A feature that holds open sockets (the waiting room's rooms, the live feeds): {@link SocketPings}
 * walks them all from one timer instead of keeping a timer and its state on every socket.
 */
public interface OpenSockets {

    /** Every socket this feature holds now; a walk may miss one opening or see one closing meanwhile. */
    void forEachSocket(Consumer<ServerWebSocket> action);
}
