package io.miaosha.api.purchase;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The hot path. Served by the "hot" load-balancer target group only. */
@Path("/api/sales/{id}/purchase")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PurchaseResource {

    public static final String ADMISSION_TOKEN_HEADER = "Admission-Token";

    private final PurchaseService purchases;
    private final JsonWebToken session;

    public PurchaseResource(PurchaseService purchases, JsonWebToken session) {
        this.purchases = purchases;
        this.session = session;
    }

    public record PurchaseRequest(@NotNull @Min(value = 1, message = "must be at least 1") Integer quantity) {
    }

    @POST
    public Uni<Response> purchase(@PathParam("id") long saleId, @Valid @NotNull PurchaseRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(ADMISSION_TOKEN_HEADER) String admissionToken) {
        PurchaseAttempt attempt = new PurchaseAttempt(saleId, Long.parseLong(session.getSubject()), body.quantity(),
                idempotencyKey, admissionToken);
        return purchases.purchase(attempt)
                .map(receipt -> Response.accepted(receipt).location(URI.create("/api/orders/" + receipt.orderId())).build());
    }
}
