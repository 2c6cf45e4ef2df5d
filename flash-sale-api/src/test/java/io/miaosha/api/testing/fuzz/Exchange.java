package io.miaosha.api.testing.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request, kept raw so a mutation can make it as wrong as a client could: path and query
 * values before encoding, headers, and the body as JSON fields (each a raw JSON text) or as bytes.
 */
public final class Exchange {

    final String method;
    final String pathTemplate;
    final Map<String, String> pathValues;
    final List<Map.Entry<String, String>> query;
    final Map<String, String> headers;
    /** The body as an object of raw JSON values, or null for no JSON object body. */
    LinkedHashMap<String, String> fields;
    /** A body sent exactly as these bytes; wins over {@link #fields}. */
    byte[] rawBody;
    String contentType;

    Exchange(String method, String pathTemplate) {
        this(method, pathTemplate, new LinkedHashMap<>(), new ArrayList<>(), new LinkedHashMap<>(), null, null, null);
    }

    private Exchange(String method, String pathTemplate, Map<String, String> pathValues, List<Map.Entry<String, String>> query,
            Map<String, String> headers, LinkedHashMap<String, String> fields, byte[] rawBody, String contentType) {
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.pathValues = pathValues;
        this.query = query;
        this.headers = headers;
        this.fields = fields;
        this.rawBody = rawBody;
        this.contentType = contentType;
    }

    Exchange copy() {
        return new Exchange(method, pathTemplate, new LinkedHashMap<>(pathValues), new ArrayList<>(query),
                new LinkedHashMap<>(headers), fields == null ? null : new LinkedHashMap<>(fields), rawBody, contentType);
    }

    public String method() {
        return method;
    }

    /** The path with every value percent-encoded as UTF-8 (so '+', '%', '/' and Unicode reach the server as sent). */
    public String url() {
        String path = pathTemplate;
        for (Map.Entry<String, String> value : pathValues.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", encode(value.getValue()));
        }
        if (query.isEmpty()) {
            return path;
        }
        List<String> pairs = new ArrayList<>();
        query.forEach(pair -> pairs.add(encode(pair.getKey()) + "=" + encode(pair.getValue())));
        return path + "?" + String.join("&", pairs);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String contentType() {
        return contentType;
    }

    /** The body bytes, or null for none. */
    public byte[] body() {
        if (rawBody != null) {
            return rawBody;
        }
        return fields == null ? null : json(fields).getBytes(StandardCharsets.UTF_8);
    }

    static String json(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, raw) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(raw));
        return json.append('}').toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
