package io.miaosha.api.orders;

import io.miaosha.api.account.Role;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.problem.RequestValues;
import io.miaosha.common.order.OrderIds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderQueries orders;
    private final JsonWebToken session;

    public OrderResource(OrderQueries orders, JsonWebToken session) {
        this.orders = orders;
        this.session = session;
    }

    /** Owner or admin only; someone else's order is reported as missing, not forbidden, so ids leak nothing. */
    @GET
    @Path("/orders/{id}")
    public Uni<OrderView> order(@PathParam("id") String id) {
        if (!OrderIds.isValid(id)) {
            throw new Problems.NotFound("Order", id);
        }
        long userId = Long.parseLong(session.getSubject());
        boolean admin = session.getGroups().contains(Role.ADMIN);
        return orders.find(id)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Order", id))
                .invoke(order -> {
                    if (order.userId() != userId && !admin) {
                        throw new Problems.NotFound("Order", id);
                    }
                });
    }

    @GET
    @Path("/me/orders")
    public Uni<List<OrderView>> myOrders(
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "50"))
            @QueryParam("limit") String limit) {
        return orders.listForUser(Long.parseLong(session.getSubject()), RequestValues.boundedInt("limit", limit, 50, 1, 200));
    }
}
