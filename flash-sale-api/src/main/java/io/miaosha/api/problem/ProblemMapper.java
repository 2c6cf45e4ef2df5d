package io.miaosha.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.miaosha.common.outage.Outages;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.mysqlclient.MySQLException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 {@code application/problem+json}. A client never
 * sees a stack trace; unexpected failures are logged here and answered with a bare 500.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final int MARIADB_CHECK_FAILED = 4025;
    private static final int MYSQL_CHECK_FAILED = 3819;

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        Response response = respond(problem.status(), problem.type(), problem.title(), problem.detail(), problem.extensions());
        problem.headers().forEach(response.getHeaders()::putSingle);
        return response;
    }

    @ServerExceptionMapper
    public Response invalidBody(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(v -> Map.of("field", field(v), "message", v.getMessage()))
                .toList();
        String detail = errors.stream().map(err -> err.get("field") + " " + err.get("message"))
                .collect(Collectors.joining("; "));
        return problem(new Problems.InvalidRequest(detail, errors));
    }

    // Listed one by one: Quarkus ships mappers for some of these subclasses, and the closest type wins.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class, InvalidFormatException.class, StreamReadException.class,
            ValueInstantiationException.class})
    public Response unreadableJson(JsonProcessingException e) {
        return problem(unreadable(e));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return problem(new Problems.NotAuthenticated(
                "A valid session token is required: send 'Authorization: Bearer <token>' from POST /api/auth/login."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(new Problems.Forbidden("Your role may not call this endpoint."));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        if (status >= 500) {
            Log.error("request failed", e);
            return respond(status, "about:blank", "Internal error", "The server could not complete the request.", Map.of());
        }
        String reason = Response.Status.fromStatusCode(status) == null
                ? "Request refused" : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No resource at this path.";
            case 405 -> "This method is not allowed on this path.";
            case 406 -> "This resource answers with application/json only.";
            case 415 -> "Send the body as application/json.";
            default -> e.getMessage();
        };
        return respond(status, "about:blank", reason, detail, Map.of());
    }

    /**
     * The last line of defence behind the API's own checks: the database, in strict SQL mode, refused
     * a value (SQLSTATE class 22, data exception: out of range, too long, not a valid date) or a CHECK
     * constraint. Nothing was stored, and the request, not the server, is at fault.
     */
    @ServerExceptionMapper
    public Response refusedByDatabase(MySQLException e) {
        boolean badValue = e.getSqlState() != null && e.getSqlState().startsWith("22");
        boolean failedCheck = e.getErrorCode() == MARIADB_CHECK_FAILED || e.getErrorCode() == MYSQL_CHECK_FAILED;
        if (!badValue && !failedCheck) {
            return unexpected(e);
        }
        Log.warnf("the database refused a value the API let through: %s", e.getMessage());
        // The server's message names schema and columns; the client gets the rule, the log the details.
        return problem(new Problems.InvalidRequest("A value in the request is outside the range this service can store."));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (Outages.isOutage(e)) {
            // A store that cannot be reached or is failing over (a Redis master being replaced): the
            // request did nothing the client was promised, and the same request may succeed in a moment.
            Log.warnf("a store is unavailable: %s", e.toString());
            return problem(new Problems.StoreUnavailable());
        }
        Log.error("unexpected failure", e);
        return Response.status(500).type(PROBLEM_JSON).entity(internalError()).build();
    }

    private static Response respond(int status, String type, String title, String detail, Map<String, Object> extensions) {
        return Response.status(status).type(PROBLEM_JSON).entity(body(status, type, title, detail, extensions)).build();
    }

    /** A problem's members in the order RFC 9457 lists them, then its own. */
    static Map<String, Object> body(int status, String type, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return body;
    }

    /** The bare 500: the client learns nothing of what failed (the log does). */
    static Map<String, Object> internalError() {
        return body(500, "about:blank", "Internal error", "The server could not complete the request.", Map.of());
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "purchase.body.quantity" -> "quantity": the method and parameter names mean nothing to a client.
        int dot = path.lastIndexOf('.');
        String last = dot < 0 ? path : path.substring(dot + 1);
        return last.equals("body") || last.startsWith("arg") ? "body" : last;
    }

    /** Jackson's messages name Java classes and its own settings; a client needs neither. */
    private static String plain(String message) {
        return message.replaceAll("`(?:[\\w.]+[.$])?(\\w+)`", "$1").replaceAll("\\s*\\(but [^)]*\\)", "");
    }

    /**
     * A body Jackson could not read, as a person would say it: a value of the wrong kind names its
     * field and the kind expected ("stock must be a whole number, such as 5."), also in
     * {@code errors}, so a form can put it under the field; Java type names never reach the client.
     */
    static Problems.InvalidRequest unreadable(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new Problems.InvalidRequest("Unknown field '" + unknown.getPropertyName() + "'; allowed: " + unknown.getKnownPropertyIds() + ".");
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String message = expected(e);
            return new Problems.InvalidRequest(field + " " + message + ".", List.of(Map.of("field", field, "message", message)));
        }
        return new Problems.InvalidRequest("The body is not valid JSON: " + plain(e.getOriginalMessage()) + ".");
    }

    /** What the field takes, from the type Jackson was reading into. */
    private static String expected(JsonProcessingException e) {
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            return "has a value this field cannot take: " + plain(e.getOriginalMessage());
        }
        if (target == Integer.class || target == Long.class || target == Short.class || target == int.class
                || target == long.class || target == short.class || target == java.math.BigInteger.class) {
            return "must be a whole number, such as 5";
        }
        if (target == java.time.Instant.class) {
            return "must be a date and time in ISO-8601 text, such as \"2031-01-01T10:00:00Z\"";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (target == String.class) {
            return "must be text in quotes";
        }
        return "has a value of the wrong kind: " + plain(e.getOriginalMessage());
    }
}
