package io.miaosha.gateway.live;

import io.miaosha.gateway.socket.SocketUpgrade;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;

/**
 * {@code /ws/sales/{id}/live}: a sale page's live state for anyone viewing it, signed in or not (no
 * session check: the state is what the public catalog shows, only sooner). A Vert.x route upgraded
 * to a plain {@link ServerWebSocket}, like the waiting room's socket; an adapter to {@link LiveFeeds}.
 * A viewer sends nothing, so any message it sends ends its socket.
 */
@ApplicationScoped
public class LiveSocket {

    private static final Pattern SALE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final LiveFeeds feeds;

    public LiveSocket(LiveFeeds feeds) {
        this.feeds = feeds;
    }

    void routes(@Observes Router router) {
        router.get("/ws/sales/:saleId/live").handler(this::upgrade);
    }

    private void upgrade(RoutingContext context) {
        HttpServerRequest request = SocketUpgrade.hold(context);
        if (request == null) {
            return;
        }
        String saleId = context.pathParam("saleId");
        SocketUpgrade.accept(request).onSuccess(viewer -> opened(viewer, saleId))
                .onFailure(failure -> Log.debugf("a live socket's upgrade failed: %s", failure.toString()));
    }

    private void opened(ServerWebSocket viewer, String saleId) {
        if (saleId == null || !SALE_ID.matcher(saleId).matches()) {
            LiveFeeds.refuse(viewer, LiveRefusal.BAD_SALE_ID);
            return;
        }
        long sale = Long.parseLong(saleId);
        viewer.textMessageHandler(text -> LiveFeeds.refuse(viewer, LiveRefusal.READ_ONLY));
        viewer.binaryMessageHandler(data -> LiveFeeds.refuse(viewer, LiveRefusal.READ_ONLY));
        viewer.exceptionHandler(failure -> LiveRefusal.UNAVAILABLE.close.close(viewer));
        viewer.closeHandler(closed -> feeds.unwatch(viewer, sale));
        feeds.watch(viewer, sale);
    }
}
