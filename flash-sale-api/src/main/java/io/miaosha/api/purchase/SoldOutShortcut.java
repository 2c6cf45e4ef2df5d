package io.miaosha.api.purchase;

import io.miaosha.api.problem.Problem;
import io.miaosha.api.problem.ProblemMapper;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.problem.RequestValues;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers purchase attempts on a sale this instance knows to be sold out straight from an HTTP
 * filter, before authentication, body parsing and the REST layer: after a drop sells out, the
 * crowd keeps pressing "buy", and each of those answers should cost next to nothing. Telling an
 * anonymous caller "sold out" reveals nothing the public catalog does not say. A request with an
 * Idempotency-Key that got an order in this sale is let through: its retry is owed that order. Any
 * other method than POST on the purchase path is answered 405 here as well.
 */
@ApplicationScoped
public class SoldOutShortcut {

    private static final Buffer SOLD_OUT_BODY = Buffer.buffer("{\"type\":\"" + Problem.TYPE_BASE
            + "sold-out\",\"title\":\"Sold out\",\"status\":409,\"detail\":\"Every unit of this sale is sold or held.\",\"unitsLeft\":0}");

    private static final Buffer NOT_ALLOWED_BODY = Buffer.buffer("{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\","
            + "\"status\":405,\"detail\":\"This method is not allowed on this path; a purchase is a POST.\"}");
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final SoldOutMemory soldOut;
    private final PurchaseMetrics metrics;

    public SoldOutShortcut(SoldOutMemory soldOut, PurchaseMetrics metrics) {
        this.soldOut = soldOut;
        this.metrics = metrics;
    }

    /**
     * A filter, not a route: routes run after the security filters, and with Micrometer present those
     * let RESTEasy Reactive rebuild its request mapper on every request to name the URI template
     * (about half of a sold-out answer's CPU in a profile, BENCHMARKS.md). After CORS, before
     * authentication; the canonical-path filter has refused odd spellings already.
     */
    private static final int PRIORITY = SecurityHandlerPriorities.AUTHENTICATION + 50;
    private static final String PREFIX = "/api/sales/";
    private static final String SUFFIX = "/purchase";

    void install(@Observes Filters filters) {
        filters.register(this::answerIfSoldOut, PRIORITY);
    }

    /** The id segment of /api/sales/{id}/purchase, null for any other path. */
    static String saleIdSegment(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)
                || path.length() <= PREFIX.length() + SUFFIX.length()) {
            return null;
        }
        String segment = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        return segment.indexOf('/') < 0 ? segment : null;
    }

    private void answerIfSoldOut(RoutingContext context) {
        String segment = saleIdSegment(context.request().path());
        if (segment == null) {
            context.next();
            return;
        }
        if (context.request().method() != HttpMethod.POST) {
            // JAX-RS would answer 404 here (the catalog's /api/sales/{id} is tried too), telling a client
            // the path is wrong when only the method is. Checked in this route so the hot path gains none.
            context.response().setStatusCode(405)
                    .putHeader("Allow", "POST")
                    .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                    .end(NOT_ALLOWED_BODY);
            return;
        }
        long saleId;
        try {
            saleId = RequestValues.id("sale id", segment);
        } catch (Problems.InvalidRequest notAnId) {
            context.next();
            return;
        }
        if (!soldOut.isSoldOut(saleId)) {
            context.next();
            return;
        }
        String key = context.request().getHeader(IDEMPOTENCY_KEY);
        if (key == null) {
            answerSoldOut(context);
            return;
        }
        if (!PurchaseAttempt.isWellFormedKey(key)) {
            context.next(); // the REST layer says what is wrong with it
            return;
        }
        // A keyed attempt may be a retry owed its original order: only a key never used in this sale is
        // answered here. The body must wait while Redis is asked, or it would arrive before anyone reads it.
        context.request().pause();
        soldOut.isSoldOutForKey(saleId, key).subscribe().with(answer -> {
            context.request().resume();
            if (answer) {
                answerSoldOut(context);
            } else {
                context.next();
            }
        }, failure -> {
            context.request().resume();
            context.next(); // Redis trouble: the full path will tell
        });
    }

    private void answerSoldOut(RoutingContext context) {
        metrics.count(PurchaseOutcome.SOLD_OUT_FROM_MEMORY);
        context.response().setStatusCode(409)
                .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                .end(SOLD_OUT_BODY);
    }
}
