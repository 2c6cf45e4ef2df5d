package io.miaosha.api.purchase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.miaosha.api.account.CachingJwtParser;
import io.miaosha.api.account.SessionTokens;
import io.miaosha.api.problem.ProblemWriter;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.problem.RequestValues;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The purchase of a shopper whose session this instance checked a moment ago, answered from an HTTP
 * filter instead of the REST layer. In a profile of the REST path (BENCHMARKS.md) building the security
 * identity, propagating the request context and RESTEasy's own dispatch cost more CPU than the purchase
 * script's round trip; a shopper in a drop sends one token many times a second, so the second request
 * of a token needs none of them. The same checks in the same order as {@link PurchaseResource}, the
 * same service, the same JSON mapper and problem bodies: only who dispatches differs.
 *
 * <p>Anything unusual goes on to the REST layer before the body is read, which answers it in its own
 * words: a token not verified and trusted here yet (its first request, or older than the session
 * re-check bound), a query string, a content type or charset other than plain UTF-8 JSON, an Accept
 * header that does not take JSON, a body without a small Content-Length, a malformed sale id.
 */
@ApplicationScoped
public class PurchaseFastPath {

    /** After the sold-out shortcut (AUTHENTICATION + 50), before authentication: higher runs first. */
    private static final int PRIORITY = SecurityHandlerPriorities.AUTHENTICATION + 40;
    private static final String BEARER = "Bearer ";
    /** A purchase body is {"quantity": n}; anything this long is not one, and the REST layer says why. */
    private static final int MAX_BODY_BYTES = 1024;

    private final PurchaseService purchases;
    private final CachingJwtParser sessions;
    private final ProblemWriter problems;
    private final ObjectReader requests;
    private final ObjectWriter receipts;
    /** Requests this path answered: how its tests know which layer did. */
    private final LongAdder taken = new LongAdder();

    public PurchaseFastPath(PurchaseService purchases, CachingJwtParser sessions, ProblemWriter problems, ObjectMapper json) {
        this.purchases = purchases;
        this.sessions = sessions;
        this.problems = problems;
        this.requests = json.readerFor(PurchaseResource.PurchaseRequest.class);
        this.receipts = json.writerFor(PurchaseReceipt.class);
    }

    void install(@Observes Filters filters) {
        filters.register(this::purchaseOrPass, PRIORITY);
    }

    private void purchaseOrPass(RoutingContext context) {
        HttpServerRequest request = context.request();
        String segment = request.method() == HttpMethod.POST ? SoldOutShortcut.saleIdSegment(request.path()) : null;
        JsonWebToken session = segment == null || !plainJsonPurchase(request) ? null : trustedSession(request);
        long saleId = session == null ? -1 : saleIdOrNone(segment);
        if (saleId < 0) {
            context.next();
            return;
        }
        taken.increment();
        long userId = Long.parseLong(session.getSubject());
        boolean emailVerified = SessionTokens.emailVerified(session);
        request.body().onComplete(body -> {
            if (body.failed()) {
                problems.writeFailure(context.response(), body.cause());
                return;
            }
            purchase(context, saleId, userId, emailVerified, body.result());
        });
        // Quarkus hands every request over paused, for whichever handler reads the body to resume it.
        request.resume();
    }

    long taken() {
        return taken.sum();
    }

    private void purchase(RoutingContext context, long saleId, long userId, boolean emailVerified, Buffer body) {
        PurchaseAttempt attempt;
        try {
            attempt = new PurchaseAttempt(saleId, userId, quantity(body), context.request().getHeader("Idempotency-Key"),
                    context.request().getHeader(PurchaseResource.ADMISSION_TOKEN_HEADER), emailVerified);
        } catch (RuntimeException | IOException refused) {
            problems.writeFailure(context.response(), refused);
            return;
        }
        try {
            purchases.purchaseOnEventLoop(attempt)
                    .onSuccess(receipt -> accepted(context, receipt))
                    .onFailure(failure -> problems.writeFailure(context.response(), failure));
        } catch (RuntimeException refused) {
            problems.writeFailure(context.response(), refused);
        }
    }

    private int quantity(Buffer body) throws IOException {
        byte[] bytes = body.getBytes();
        // No content is no body to the REST layer too, which then says what a body should be.
        PurchaseResource.PurchaseRequest parsed = onlyWhitespace(bytes) ? null : requests.readValue(bytes);
        if (parsed == null) {
            throw PurchaseResource.missingBody();
        }
        return parsed.checkedQuantity();
    }

    private static boolean onlyWhitespace(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void accepted(RoutingContext context, PurchaseReceipt receipt) {
        byte[] json;
        try {
            json = receipts.writeValueAsBytes(receipt);
        } catch (JsonProcessingException cannotHappen) {
            problems.writeFailure(context.response(), cannotHappen);
            return;
        }
        context.response().setStatusCode(202)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json;charset=UTF-8")
                .putHeader(HttpHeaders.LOCATION, PurchaseResource.orderLocation(receipt))
                .end(Buffer.buffer(json));
    }

    private JsonWebToken trustedSession(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return null;
        }
        return sessions.trustedSession(authorization.substring(BEARER.length()), System.currentTimeMillis());
    }

    /** UTF-8 JSON by the spelling every client sends, small, no query, an answer in JSON accepted. */
    private static boolean plainJsonPurchase(HttpServerRequest request) {
        if (request.query() != null || !isPlainJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !accept.contains("application/json") && !accept.contains("*/*")) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || length.length() > 4) {
            return false;
        }
        for (int i = 0; i < length.length(); i++) {
            if (length.charAt(i) < '0' || length.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(length) <= MAX_BODY_BYTES;
    }

    static boolean isPlainJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.strip();
        if (type.equalsIgnoreCase("application/json")) {
            return true;
        }
        int semicolon = type.indexOf(';');
        return semicolon > 0 && type.substring(0, semicolon).strip().equalsIgnoreCase("application/json")
                && type.substring(semicolon + 1).strip().replace(" ", "").equalsIgnoreCase("charset=utf-8");
    }

    private static long saleIdOrNone(String segment) {
        try {
            return RequestValues.id("sale id", segment);
        } catch (Problems.InvalidRequest notAnId) {
            return -1;
        }
    }
}
