package io.miaosha.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.outage.Outages;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Writes problems straight to a Vert.x response, for the routes that answer before the REST layer
 * (the purchase fast path): the same body, headers and JSON spelling as {@link ProblemMapper}, through
 * the same ObjectMapper, so a client cannot tell which layer answered.
 */
@ApplicationScoped
public class ProblemWriter {

    private final ObjectMapper json;

    public ProblemWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServerResponse response, Problem problem) {
        problem.headers().forEach(response::putHeader);
        send(response, problem.status(),
                ProblemMapper.body(problem.status(), problem.type(), problem.title(), problem.detail(), problem.extensions()));
    }

    /** What {@link ProblemMapper} would answer for this failure: its problem, a store outage, or a bare 500. */
    public void writeFailure(HttpServerResponse response, Throwable failure) {
        if (failure instanceof Problem problem) {
            write(response, problem);
        } else if (failure instanceof JsonProcessingException unreadable) {
            write(response, ProblemMapper.unreadable(unreadable));
        } else if (Outages.isOutage(failure)) {
            Log.warnf("a store is unavailable: %s", failure.toString());
            write(response, new Problems.StoreUnavailable());
        } else {
            Log.error("unexpected failure", failure);
            send(response, 500, ProblemMapper.internalError());
        }
    }

    private void send(HttpServerResponse response, int status, Map<String, Object> body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException cannotHappen) {
            throw new IllegalStateException(cannotHappen);
        }
        response.setStatusCode(status).putHeader("Content-Type", ProblemMapper.PROBLEM_JSON).end(Buffer.buffer(bytes));
    }
}
