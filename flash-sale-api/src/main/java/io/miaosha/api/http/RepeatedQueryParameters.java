package io.miaosha.api.http;

import io.miaosha.api.problem.Problems;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A query parameter given twice ({@code ?limit=1&limit=500}) is refused: JAX-RS would quietly use the
 * first value, so a client (or a proxy that appended one) would get an answer to a request it did not
 * mean. Every documented query parameter holds one value.
 */
public class RepeatedQueryParameters {

    @ServerRequestFilter
    public void refuseRepeated(HttpServerRequest request) {
        String query = request.query();
        // Runs on the purchase path too, which has no query: only a query with two pairs is parsed.
        if (query == null || query.indexOf('&') < 0) {
            return;
        }
        for (String name : request.params().names()) {
            int count = request.params().getAll(name).size();
            if (count > 1) {
                String rule = "must be given once, not " + count + " times";
                throw new Problems.InvalidRequest("Query parameter '" + name + "' " + rule + ".",
                        List.of(Map.of("field", name, "message", rule)));
            }
        }
    }
}
