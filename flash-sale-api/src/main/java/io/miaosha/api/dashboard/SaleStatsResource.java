package io.miaosha.api.dashboard;

import io.miaosha.api.account.Role;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.miaosha.api.problem.RequestValues;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

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
    public Uni<SaleStats> stats(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String saleId) {
        return stats.stats(RequestValues.id("sale id", saleId));
    }
}
