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

    /**
     * The means of payment: {@code paymentMethod}, a PaymentMethod id that Stripe.js created in the
     * browser, with the Stripe provider (card numbers never reach this service in production); or
     * {@code cardNumber}, one of the test provider's test cards, in dev, tests and the run command.
     */
    public record PaymentRequest(
            @Pattern(regexp = "[0-9]{12,19}", message = "must be 12 to 19 digits") String cardNumber,
            @Pattern(regexp = "pm_[A-Za-z0-9_]{1,120}", message = "must be a Stripe PaymentMethod id (pm_…)")
            String paymentMethod) {
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
        return payments.pay(orderId, Long.parseLong(session.getSubject()), instrument(body), idempotencyKey);
    }

    /** The field the active provider takes, and only that one. */
    private String instrument(PaymentRequest body) {
        if (payments.instrument() == PaymentProvider.Instrument.PAYMENT_METHOD) {
            if (body.cardNumber() != null || body.paymentMethod() == null) {
                throw new Problems.InvalidRequest("Send paymentMethod, the PaymentMethod id (pm_…) that Stripe.js"
                        + " created for the card; this shop never takes card numbers.");
            }
            return body.paymentMethod();
        }
        if (body.paymentMethod() != null || body.cardNumber() == null) {
            throw new Problems.InvalidRequest("Send cardNumber, one of the test provider's test cards (for example"
                    + " 4242424242424242); this instance charges nothing and takes no paymentMethod.");
        }
        if (!Luhn.valid(body.cardNumber())) {
            throw new Problems.InvalidRequest("cardNumber fails the Luhn check: it is not a card number.");
        }
        return body.cardNumber();
    }
}
