package io.miaosha.api.testing.contract;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import io.restassured.http.Header;
import io.restassured.specification.FilterableRequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request as it went over the wire, for the validator: path and query read back from the final URI
 * (a query written into the path string, as the fuzz test does, counts like one given as parameters),
 * every header, and the body as sent.
 */
final class WireRequest {

    private WireRequest() {
    }

    static Request of(FilterableRequestSpecification spec) {
        URI uri = URI.create(spec.getURI());
        SimpleRequest.Builder request = new SimpleRequest.Builder(spec.getMethod(), path(uri.getRawPath()));
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                query.computeIfAbsent(name, key -> new ArrayList<>()).add(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        query.forEach(request::withQueryParam);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : spec.getHeaders()) {
            headers.computeIfAbsent(header.getName(), key -> new ArrayList<>()).add(header.getValue());
        }
        headers.forEach(request::withHeader);
        if (spec.getContentType() != null) {
            request.withContentType(spec.getContentType());
        }
        Object body = spec.getBody();
        if (body instanceof byte[] bytes) {
            request.withBody(bytes);
        } else if (body != null) {
            request.withBody(body.toString());
        }
        return request.build();
    }

    /**
     * Each segment decoded, except one whose decoded form would hold a '/' or a control character:
     * the server takes "%2F" as part of a segment, and so must the validator's path matching.
     */
    private static String path(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String decoded = decode(segments[i].replace("+", "%2B"));
            if (decoded.chars().noneMatch(c -> c == '/' || Character.isISOControl(c))) {
                segments[i] = decoded;
            }
        }
        return String.join("/", segments);
    }

    private static String decode(String text) {
        // The path and query as the server decodes them; '+' in a query means a space only in forms.
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
