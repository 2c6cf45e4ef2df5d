package io.miaosha.api.payment;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.order.OrderIds;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Payment of a held order by its owner. Served by the "hot" target group with purchases. */
@Path("/api/orders/{id}/pay")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PaymentResource {

    private final PaymentService payments;
    private final JsonWebToken session;

    public PaymentResource(PaymentService payments, JsonWebToken session) {
        this.payments = payments;
        this.session = session;
    }

    public record PaymentRequest(
            @NotNull @Pattern(regexp = "[0-9]{12,19}", message = "must be 12 to 19 digits") String cardNumber) {
    }

    @POST
    public Uni<PaymentReceipt> pay(@PathParam("id") String orderId, @Valid @NotNull PaymentRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 100) {
            throw new Problems.InvalidRequest("Send an Idempotency-Key header (1 to 100 characters): retrying a payment"
                    + " with the same key never charges twice.");
        }
        if (!OrderIds.isValid(orderId)) {
            throw new Problems.NotFound("Order", orderId);
        }
        if (!Luhn.valid(body.cardNumber())) {
            throw new Problems.InvalidRequest("cardNumber fails the Luhn check: it is not a card number.");
        }
        return payments.pay(orderId, Long.parseLong(session.getSubject()), body.cardNumber(), idempotencyKey);
    }
}
