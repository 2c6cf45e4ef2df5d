package io.miaosha.api.ping;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Does nothing and answers 204: the baseline the purchase benchmark compares against (what this
 * server and machine can do at all), and a cheap liveness probe for an edge that wants one.
 * Answered on the event loop: a plain return type would make RESTEasy hand each call to a worker
 * thread and back (a third of a ping's CPU in a JFR profile, BENCHMARKS.md), which the bare
 * reference's no-op does not pay either.
 */
@Path("/api/ping")
public class PingResource {

    @GET
    @NonBlocking
    @APIResponse(responseCode = "204", description = "Nothing, quickly")
    public Response ping() {
        return Response.noContent().build();
    }
}
