package io.miaosha.api.problem;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, for every endpoint, requests whose meaning would depend on who reads them:
 * <ul>
 * <li>an empty query value: no endpoint gives one a meaning, yet JAX-RS hands {@code ?queue=} to a
 * resource as if the parameter were absent, so {@code replay?messageId=} would replay every parked
 * message;</li>
 * <li>a body declared in a charset other than UTF-8 ({@code application/json; charset=utf-16}): JSON
 * between systems is UTF-8 (the body itself is checked by {@code json.Utf8Only}).</li>
 * </ul>
 * One filter for both: the purchase path pays one null check for each.
 */
public class AmbiguousRequests {

    @ServerRequestFilter
    public void refuseAmbiguousRequests(HttpServerRequest request) {
        refuseOtherCharsets(request.getHeader("Content-Type"));
        refuseEmptyValues(request.query());
    }

    private static void refuseOtherCharsets(String contentType) {
        if (contentType == null) {
            return;
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        int at = lower.indexOf("charset=");
        // Only a JSON body is read as JSON; a client's default charset on a form or text type (sent with
        // a bodyless POST, say) changes nothing we read.
        if (at < 0 || !(lower.startsWith("application/json") || lower.contains("+json"))) {
            return;
        }
        String charset = contentType.substring(at + "charset=".length()).split(";", 2)[0].strip().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8")) {
            throw new Problems.InvalidRequest("The body must be UTF-8 JSON; Content-Type names charset " + charset + ".");
        }
    }

    private static void refuseEmptyValues(String query) {
        if (query == null || query.isEmpty()) {
            return; // the hot path has no query: one null check
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 0 || eq == pair.length() - 1) {
                String rule = "must not be empty (leave the parameter out instead)";
                throw new Problems.InvalidRequest("Query parameter '" + (name.isEmpty() ? "(unnamed)" : name) + "' " + rule + ".",
                        List.of(Map.of("field", name, "message", rule)));
            }
        }
    }
}
