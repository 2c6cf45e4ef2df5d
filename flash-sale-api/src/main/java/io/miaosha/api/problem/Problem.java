package io.miaosha.api.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A business outcome that ends a request with an RFC 9457 problem. Each outcome has its own
 * subclass so callers and tests can name it; {@link ProblemMapper} turns any of them into
 * {@code application/problem+json}. The type URI is stable: clients may switch on it.
 */
public abstract class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://miaosha.dev/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    protected Problem(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_BASE + slug;
        this.title = title;
    }

    protected final Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    /** A response header that belongs to this outcome, such as Retry-After on a 429. */
    protected final Problem withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
