package io.miaosha.api.ping;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Does nothing and answers 204: the baseline the purchase benchmark compares against (what this
 * server and machine can do at all), and a cheap liveness probe for an edge that wants one.
 */
@Path("/api/ping")
public class PingResource {

    @GET
    @APIResponse(responseCode = "204", description = "Nothing, quickly")
    public Response ping() {
        return Response.noContent().build();
    }
}
