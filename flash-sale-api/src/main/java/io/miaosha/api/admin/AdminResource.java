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
    public Uni<Response> createProduct(@Valid @NotNull ProductRequest body) {
        return products.insertProduct(body)
                .map(id -> Response.created(URI.create("/api/admin/products/" + id)).entity(Map.of("id", id)).build());
    }

    @PUT
    @Path("/products/{id}")
    public Uni<Map<String, Object>> updateProduct(@PathParam("id") long id, @Valid @NotNull ProductRequest body) {
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
    public Uni<Response> createSale(@Valid @NotNull SaleTerms body) {
        return sales.create(body)
                .map(view -> Response.created(URI.create("/api/sales/" + view.id())).entity(view).build());
    }

    @PUT
    @Path("/sales/{id}")
    public Uni<SaleView> updateSale(@PathParam("id") long id, @Valid @NotNull SaleTerms body) {
        return sales.update(id, body);
    }

    @GET
    @Path("/sales/{id}/queue")
    public Uni<QueueView> queue(@PathParam("id") long id) {
        return queues.view(id);
    }

    // Cancel and arm take no body: a bare POST (no Content-Type) must reach the role check, not a 415.
    @POST
    @Path("/sales/{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    public Uni<SaleView> cancelSale(@PathParam("id") long id) {
        return sales.cancel(id);
    }

    @POST
    @Path("/sales/{id}/arm")
    @Consumes(MediaType.WILDCARD)
    public Uni<SaleView> armSale(@PathParam("id") long id) {
        return sales.arm(id);
    }
}
