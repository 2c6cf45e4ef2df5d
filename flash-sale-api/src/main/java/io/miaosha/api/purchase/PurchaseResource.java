package io.miaosha.api.purchase;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
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
import io.miaosha.api.account.SessionTokens;
import io.miaosha.api.problem.Problems;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import io.miaosha.api.problem.RequestValues;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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

    /**
     * The annotations document the rule in OpenAPI; the check itself is {@link #checkedQuantity()}:
     * Bean Validation's interceptor cost several percent of this endpoint's CPU for one integer.
     */
    public record PurchaseRequest(@NotNull @Min(value = 1, message = "must be at least 1") Integer quantity) {

        int checkedQuantity() {
            if (quantity == null) {
                throw invalid("is required: say how many to buy, such as 1");
            }
            if (quantity < 1) {
                throw invalid("must be at least 1");
            }
            return quantity;
        }

        private static Problems.InvalidRequest invalid(String message) {
            return new Problems.InvalidRequest("quantity " + message, List.of(Map.of("field", "quantity", "message", message)));
        }
    }

    @POST
    @APIResponse(responseCode = "202", description = "Units held; pay the order (Location) before payBy", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PurchaseReceipt.class)))
    public Uni<Response> purchase(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String saleId, PurchaseRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(ADMISSION_TOKEN_HEADER) String admissionToken) {
        if (body == null) {
            throw missingBody();
        }
        PurchaseAttempt attempt = new PurchaseAttempt(RequestValues.id("sale id", saleId), Long.parseLong(session.getSubject()), body.checkedQuantity(),
                idempotencyKey, admissionToken, SessionTokens.emailVerified(session));
        return purchases.purchase(attempt)
                .map(receipt -> Response.accepted(receipt).header("Location", orderLocation(receipt)).build());
    }

    static Problems.InvalidRequest missingBody() {
        return new Problems.InvalidRequest("body must be a JSON object such as {\"quantity\": 1}",
                List.of(Map.of("field", "body", "message", "is required: send a JSON object such as {\"quantity\": 1}")));
    }

    /** A relative reference (RFC 9110): behind the edge, the host this instance was called by is not the shopper's. */
    static String orderLocation(PurchaseReceipt receipt) {
        return "/api/orders/" + receipt.orderId();
    }
}
