package io.miaosha.functions.schedule;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The flash-sale API, as the scheduled start uses it: log in as admin, arm, read the catalog. */
@RegisterRestClient(configKey = "miaosha-api")
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface MiaoshaApi {

    record Credentials(String email, String password) {
    }

    record Session(String token) {
    }

    @POST
    @Path("/auth/login")
    @Consumes(MediaType.APPLICATION_JSON)
    Session login(Credentials credentials);

    @POST
    @Path("/admin/sales/{id}/arm")
    String arm(@PathParam("id") long saleId, @HeaderParam("Authorization") String bearer);

    @GET
    @Path("/sales/{id}")
    String sale(@PathParam("id") long saleId);

    @GET
    @Path("/sales")
    String sales();
}
