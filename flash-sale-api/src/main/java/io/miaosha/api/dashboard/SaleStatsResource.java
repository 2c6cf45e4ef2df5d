package io.miaosha.api.dashboard;

import io.miaosha.api.account.Role;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The admin dashboard's live figures of one sale. Not cached: the dashboard polls it every second. */
@Path("/api/admin/sales/{id}/stats")
@RolesAllowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class SaleStatsResource {

    private final SaleStatsService stats;

    public SaleStatsResource(SaleStatsService stats) {
        this.stats = stats;
    }

    @GET
    public Uni<SaleStats> stats(@PathParam("id") long saleId) {
        return stats.stats(saleId);
    }
}
