package io.miaosha.api.venue;

import io.miaosha.api.account.Role;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.problem.RequestValues;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Venues for seated sales: created from a grid or a seat list, then only read (positions never move). */
@Path("/api/admin/venues")
@RolesAllowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VenueResource {

    private final VenueRepository venues;

    public VenueResource(VenueRepository venues) {
        this.venues = venues;
    }

    @APIResponse(responseCode = "201", description = "Venue created; Location names it", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VenueView.class)))
    @POST
    public Uni<Response> create(VenueRequest body) {
        if (body == null) {
            throw new Problems.InvalidRequest("body must be a venue: {\"name\": ..., \"areas\": [...]}",
                    List.of(Map.of("field", "body", "message", "must not be null")));
        }
        VenueLayout layout = body.layout();
        return venues.insert(layout).chain(venues::find)
                .map(view -> Response.created(URI.create("/api/admin/venues/" + view.id())).entity(view).build());
    }

    @GET
    public Uni<List<VenueView>> list() {
        return venues.list();
    }

    @GET
    @Path("/{id}")
    public Uni<VenueView> get(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String rawId) {
        long id = RequestValues.id("venue id", rawId);
        return venues.find(id).onItem().ifNull().failWith(() -> new Problems.NotFound("Venue", id));
    }
}
