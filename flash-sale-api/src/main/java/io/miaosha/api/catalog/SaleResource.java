package io.miaosha.api.catalog;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
    public Uni<Response> list(Request request) {
        return catalog.listSales().map(views -> cacheable(request, views, views.toString()));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") long id, Request request) {
        return catalog.sale(id).map(view -> cacheable(request, view, view.toString()));
    }

    private Response cacheable(Request request, Object entity, String fingerprint) {
        EntityTag tag = new EntityTag(sha256(fingerprint), true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder builder = notModified != null ? notModified : Response.ok(entity);
        return builder.tag(tag).cacheControl(cacheControl).build();
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
