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
import io.miaosha.api.catalog.SaleView;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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

    @APIResponse(responseCode = "201", description = "Seated sale created; Location is its catalog entry", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SaleView.class)))
    @POST
    public Uni<Response> create(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String venueId, SeatedSaleTerms body) {
        return sales.create(RequestValues.id("venue id", venueId), body)
                .map(view -> Response.created(URI.create("/api/sales/" + view.id())).entity(view).build());
    }
}
