package io.miaosha.api.purchase;

import io.miaosha.api.problem.Problem;
import io.miaosha.api.problem.ProblemMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers purchase attempts on a sale this instance knows to be sold out straight from the HTTP
 * router, before authentication, body parsing and the REST layer: after a drop sells out, the
 * crowd keeps pressing "buy", and each of those answers should cost next to nothing. Telling an
 * anonymous caller "sold out" reveals nothing the public catalog does not say.
 */
@ApplicationScoped
public class SoldOutShortcut {

    private static final Buffer SOLD_OUT_BODY = Buffer.buffer("{\"type\":\"" + Problem.TYPE_BASE
            + "sold-out\",\"title\":\"Sold out\",\"status\":409,\"detail\":\"Every unit of this sale is sold or held.\",\"unitsLeft\":0}");

    private final SoldOutMemory soldOut;
    private final PurchaseMetrics metrics;

    public SoldOutShortcut(SoldOutMemory soldOut, PurchaseMetrics metrics) {
        this.soldOut = soldOut;
        this.metrics = metrics;
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, "/api/sales/:id/purchase").order(-100).handler(this::answerIfSoldOut);
    }

    private void answerIfSoldOut(RoutingContext context) {
        long saleId;
        try {
            saleId = Long.parseLong(context.pathParam("id"));
        } catch (NumberFormatException notAnId) {
            context.next();
            return;
        }
        if (!soldOut.isSoldOut(saleId)) {
            context.next();
            return;
        }
        metrics.count(PurchaseOutcome.SOLD_OUT_FROM_MEMORY);
        context.response().setStatusCode(409)
                .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                .end(SOLD_OUT_BODY);
    }
}
