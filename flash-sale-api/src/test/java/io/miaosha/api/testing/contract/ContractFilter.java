package io.miaosha.api.testing.contract;

import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Checks every exchange a test makes with the API ({@code /api/...}) against the live OpenAPI
 * document ({@link ContractCheck}). A disagreement fails the request where it happens, and is also
 * kept for {@link ContractCallbacks} so a request made on another thread cannot hide one.
 */
public final class ContractFilter implements OrderedFilter {

    private final Queue<String> kept = new ConcurrentLinkedQueue<>();
    private final boolean failAtOnce;
    private final java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param failAtOnce whether a disagreement fails the request where it happens; off for a test that
     *                   judges the answers itself (the fuzz test) and reads {@link #drainViolations}
     */
    public ContractFilter(boolean failAtOnce) {
        this.failAtOnce = failAtOnce;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        String path = URI.create(request.getURI()).getRawPath();
        if (path == null || !path.startsWith("/api/")) {
            return response;
        }
        checked.incrementAndGet();
        ContractCheck check = new ContractCheck(LiveOpenApi.of(request.getBaseUri(), request.getPort()).validator());
        List<String> violations = check.violations(WireRequest.of(request), RestAssuredResponse.of(response));
        if (!violations.isEmpty()) {
            String body = response.asString();
            String message = request.getMethod() + " " + path + " answered " + response.statusCode() + " "
                    + (body.length() > 300 ? body.substring(0, 300) + "…" : body) + "\n  which disagrees with /q/openapi:\n  - " + String.join("\n  - ", violations);
            kept.add(message);
            if (failAtOnce) {
                throw new AssertionError(message);
            }
        }
        return response;
    }

    /** How many exchanges this filter checked against the document. */
    public long checked() {
        return checked.get();
    }

    /** Runs after every other filter, on the exchange as it went over the wire. */
    @Override
    public int getOrder() {
        return OrderedFilter.LOWEST_PRECEDENCE;
    }

    /** The disagreements seen since the last call, forgotten by this call. */
    public List<String> drainViolations() {
        List<String> drained = new java.util.ArrayList<>();
        for (String violation; (violation = kept.poll()) != null; ) {
            drained.add(violation);
        }
        return drained;
    }
}
