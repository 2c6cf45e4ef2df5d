package io.miaosha.api.ping;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * Does nothing and answers 204: the baseline the purchase benchmark compares against (what this
 * server and machine can do at all), and a cheap liveness probe for an edge that wants one.
 */
@Path("/api/ping")
public class PingResource {

    @GET
    public Response ping() {
        return Response.noContent().build();
    }
}
