package io.miaosha.functions.schedule;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The flash-sale API, as the scheduled start uses it: its key-guarded arming endpoints
 * ({@code /api/internal/arming}) and the catalog it reads to warm caches.
 */
@RegisterRestClient(configKey = "miaosha-api")
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public interface MiaoshaApi {

    String ARMING_KEY_HEADER = "X-Miaosha-Arming-Key";

    /** The part of the API's answer the function acts on; the API sends more (titles, times). */
    @RegisterForReflection
    record ArmingReport(List<ArmedSale> sales) {

        public ArmingReport {
            sales = sales == null ? List.of() : List.copyOf(sales);
        }
    }

    @RegisterForReflection
    record ArmedSale(long id, boolean live) {
    }

    /** The sales that are live or open within the lookahead; arms nothing. */
    @GET
    @Path("/internal/arming/upcoming")
    ArmingReport upcoming(@QueryParam("lookaheadMinutes") int lookaheadMinutes, @HeaderParam(ARMING_KEY_HEADER) String key);

    /** Arms the sales that are live or open within the lookahead. */
    @POST
    @Path("/internal/arming/upcoming")
    ArmingReport armUpcoming(@QueryParam("lookaheadMinutes") int lookaheadMinutes, @HeaderParam(ARMING_KEY_HEADER) String key);

    @GET
    @Path("/sales/{id}")
    String sale(@PathParam("id") long saleId);

    @GET
    @Path("/sales")
    String sales();
}
