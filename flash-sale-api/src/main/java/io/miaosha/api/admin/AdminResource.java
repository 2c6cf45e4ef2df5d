package io.miaosha.api.admin;

import io.miaosha.api.account.Role;
import io.miaosha.api.catalog.SaleView;
import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import io.miaosha.api.problem.RequestValues;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

@Path("/api/admin")
@RolesAllowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final AdminSaleService sales;
    private final AdminRepository products;
    private final AdminQueueService queues;

    public AdminResource(AdminSaleService sales, AdminRepository products, AdminQueueService queues) {
        this.sales = sales;
        this.products = products;
        this.queues = queues;
    }

    @POST
    @Path("/products")
    @APIResponse(responseCode = "201", description = "Product created; Location names it", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(requiredProperties = "id", properties = @SchemaProperty(name = "id", type = SchemaType.INTEGER, format = "int64"))))
    public Uni<Response> createProduct(@Valid @NotNull ProductRequest body) {
        return products.insertProduct(body)
                .map(id -> Response.created(URI.create("/api/admin/products/" + id)).entity(Map.of("id", id)).build());
    }

    @PUT
    @Path("/products/{id}")
    @APIResponse(responseCode = "200", description = "Product changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(requiredProperties = "id", properties = @SchemaProperty(name = "id", type = SchemaType.INTEGER, format = "int64"))))
    public Uni<Map<String, Object>> updateProduct(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String rawId, @Valid @NotNull ProductRequest body) {
        long id = RequestValues.id("product id", rawId);
        return products.updateProduct(id, body)
                .map(found -> {
                    if (!found) {
                        throw new Problems.NotFound("Product", id);
                    }
                    return Map.of("id", id);
                });
    }

    @GET
    @Path("/products")
    public Uni<List<Map<String, Object>>> listProducts() {
        return products.listProducts();
    }

    @POST
    @Path("/sales")
    @APIResponse(responseCode = "201", description = "Sale created; Location is its catalog entry", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SaleView.class)))
    public Uni<Response> createSale(@Valid @NotNull SaleTerms body) {
        return sales.create(body)
                .map(view -> Response.created(URI.create("/api/sales/" + view.id())).entity(view).build());
    }

    @PUT
    @Path("/sales/{id}")
    public Uni<SaleView> updateSale(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String id, @Valid @NotNull SaleTerms body) {
        return sales.update(RequestValues.id("sale id", id), body);
    }

    @GET
    @Path("/sales/{id}/queue")
    public Uni<QueueView> queue(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String id) {
        return queues.view(RequestValues.id("sale id", id));
    }

    // Cancel and arm take no body: a bare POST (no Content-Type) must reach the role check, not a 415.
    @POST
    @Path("/sales/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Uni<SaleView> cancelSale(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String id) {
        return sales.cancel(RequestValues.id("sale id", id));
    }

    @POST
    @Path("/sales/{id}/arm")
    @Consumes(MediaType.WILDCARD)
    public Uni<SaleView> armSale(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String id) {
        return sales.arm(RequestValues.id("sale id", id));
    }
}
