package io.miaosha.api.edge;

import io.miaosha.api.problem.Problem;
import io.miaosha.api.problem.ProblemMapper;
import io.miaosha.api.problem.Problems;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses, before routing, every /api path that the HTTP layer would route to the same endpoint as
 * another spelling: {@code /api/auth/login/}, {@code /api/auth/login;x=1}, {@code /api/auth/%6Cogin},
 * {@code /api/./auth/login}, {@code /api//auth/login}. A limit that keys on the path (the edge's
 * zones, a WAF rule) would not see those as log-ins. Refused: a trailing slash, an empty or dot
 * segment, a ';' parameter, a backslash, percent-encoding of a character that needs none (letters,
 * digits, '-', '.', '_', '~') or of a slash, backslash or ';', and an upper-case "/API". Other
 * percent-encoding and odd ids are left to the routes, which refuse them in their own words. The
 * edge (docker/nginx) is stricter still: a whitelist.
 */
@ApplicationScoped
public class CanonicalPathFilter {

    /** Before authentication and every route (Quarkus runs higher priorities first). */
    private static final int PRIORITY = 10_000;

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String why = problemWith(context.request().path());
            if (why == null) {
                context.next();
                return;
            }
            Problem problem = new Problems.NonCanonicalPath(why);
            JsonObject body = new JsonObject().put("type", problem.type()).put("title", problem.title())
                    .put("status", problem.status()).put("detail", problem.detail());
            context.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON)
                    .putHeader("Cache-Control", "no-store")
                    .end(body.encode());
        }, PRIORITY);
    }

    /** Why the raw path is not canonical, in words for the detail; null when it is (or is not an API path). */
    static String problemWith(String rawPath) {
        if (rawPath == null || rawPath.length() < 4 || !rawPath.regionMatches(true, 0, "/api", 0, 4)) {
            return null;
        }
        if (rawPath.length() > 4 && "/%;".indexOf(rawPath.charAt(4)) < 0) {
            return null;
        }
        if (!rawPath.startsWith("/api")) {
            return "is not lower-case";
        }
        if (rawPath.length() > 1 && rawPath.endsWith("/")) {
            return "ends with a slash";
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == ';') {
                return "contains a ';' parameter";
            }
            if (c == '\\') {
                return "contains a backslash";
            }
            if (c == '%' && encodesNeedlessly(rawPath, i)) {
                return "percent-encodes a character that needs no encoding, or a slash";
            }
            if (c == '/' && i + 1 < rawPath.length()) {
                String segment = rawPath.substring(i + 1, nextSlash(rawPath, i + 1));
                if (segment.isEmpty()) {
                    return "contains an empty segment ('//')";
                }
                if (segment.equals(".") || segment.equals("..")) {
                    return "contains a dot segment";
                }
            }
        }
        return null;
    }

    private static int nextSlash(String path, int from) {
        int slash = path.indexOf('/', from);
        return slash < 0 ? path.length() : slash;
    }

    /** %XX naming an unreserved character (RFC 3986: it must not be encoded), a slash, backslash or ';'; or a broken escape. */
    private static boolean encodesNeedlessly(String path, int percent) {
        if (percent + 2 >= path.length()) {
            return true;
        }
        int high = Character.digit(path.charAt(percent + 1), 16);
        int low = Character.digit(path.charAt(percent + 2), 16);
        if (high < 0 || low < 0) {
            return true;
        }
        char decoded = (char) (high * 16 + low);
        return Character.isLetterOrDigit(decoded) && decoded < 128 || "-._~/\\;".indexOf(decoded) >= 0;
    }
}
