package io.miaosha.api.catalog;

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
import io.miaosha.api.problem.RequestValues;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The public catalog, cacheable by a CDN for a second or two (ETag + Cache-Control). */
@Path("/api/sales")
@Produces(MediaType.APPLICATION_JSON)
public class SaleResource {

    private final CatalogService catalog;
    private final CacheControl cacheControl;

    public SaleResource(CatalogService catalog, CatalogConfig config) {
        this.catalog = catalog;
        this.cacheControl = new CacheControl();
        cacheControl.setMaxAge(config.maxAgeSeconds());
        cacheControl.setSMaxAge(config.maxAgeSeconds());
    }

    @GET
    @APIResponse(responseCode = "200", description = "Every sale of the catalog", headers = {
            @Header(name = "ETag", required = true, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Cache-Control", required = true, schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = SaleView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the If-None-Match tag",
            headers = @Header(name = "ETag", required = true, schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> list(Request request) {
        return catalog.listSales().map(views -> cacheable(request, views, views.toString()));
    }

    @GET
    @Path("/{id}")
    @APIResponse(responseCode = "200", description = "The sale", headers = {
            @Header(name = "ETag", required = true, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Cache-Control", required = true, schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SaleView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the If-None-Match tag",
            headers = @Header(name = "ETag", required = true, schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> get(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String id, Request request) {
        return catalog.sale(RequestValues.id("sale id", id)).map(view -> cacheable(request, view, view.toString()));
    }

    private Response cacheable(Request request, Object entity, String fingerprint) {
        EntityTag tag = new EntityTag(Digests.sha256Hex(fingerprint, 16), true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder builder = notModified != null ? notModified : Response.ok(entity);
        return builder.tag(tag).cacheControl(cacheControl).build();
    }

}
