package io.miaosha.api.draw;

import io.miaosha.api.problem.RequestValues;
import io.miaosha.api.catalog.CatalogConfig;
import io.miaosha.common.text.Digests;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A sale's pre-opening draw, public like the catalog (no sign-in): anyone can check that the seed
 * revealed at opening is the one committed to before, and recompute the order from it.
 */
@Path("/api/sales/{id}/draw")
@Produces(MediaType.APPLICATION_JSON)
public class DrawResource {

    private final DrawService draws;
    private final CacheControl beforeReveal;
    private final CacheControl afterReveal;

    public DrawResource(DrawService draws, CatalogConfig config) {
        this.draws = draws;
        this.beforeReveal = new CacheControl();
        beforeReveal.setMaxAge(config.maxAgeSeconds());
        beforeReveal.setSMaxAge(config.maxAgeSeconds());
        // Revealed, a draw never changes again: a CDN may keep it (the crowd checks it at opening).
        this.afterReveal = new CacheControl();
        afterReveal.setMaxAge(3600);
        afterReveal.setSMaxAge(3600);
    }

    @GET
    @APIResponse(responseCode = "200", description = "The sale's draw: its commitment, and once the sale opened its seed and order",
            headers = {
                    @Header(name = "ETag", required = true, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Cache-Control", required = true, schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DrawView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the If-None-Match tag",
            headers = @Header(name = "ETag", required = true, schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> get(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String id,
            Request request) {
        return draws.draw(RequestValues.id("sale id", id)).map(view -> {
            EntityTag tag = new EntityTag(Digests.sha256Hex(view.commitment() + "|" + view.seed() + "|" + view.revealAt(), 16), true);
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            Response.ResponseBuilder builder = notModified != null ? notModified : Response.ok(view);
            return builder.tag(tag).cacheControl(view.seed() == null ? beforeReveal : afterReveal).build();
        });
    }
}
