package io.miaosha.api.seating;

import io.miaosha.api.account.Role;
import io.miaosha.api.problem.RequestValues;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Creates a seated sale on a venue; the sale is then armed, changed and cancelled like any other. */
@Path("/api/admin/venues/{id}/sales")
@RolesAllowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SeatedSaleResource {

    private final SeatedSaleService sales;

    public SeatedSaleResource(SeatedSaleService sales) {
        this.sales = sales;
    }

    @POST
    public Uni<Response> create(@PathParam("id") String venueId, SeatedSaleTerms body) {
        return sales.create(RequestValues.id("venue id", venueId), body)
                .map(view -> Response.created(URI.create("/api/sales/" + view.id())).entity(view).build());
    }
}
