package io.miaosha.api.payment;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Charges through Stripe PaymentIntents with the official stripe-java bindings: one
 * {@code POST /v1/payment_intents} with {@code confirm=true} creates and confirms the payment in one
 * call, under the idempotency key of {@link ChargeRequest#chargeKey()}. The PaymentMethod comes
 * from Stripe.js in the browser: card numbers never reach this service.
 *
 * <p>stripe-java is blocking (HttpURLConnection), so every call runs on the worker pool, never on
 * the event loop. It is built with no retries of its own: {@link PaymentService} retries
 * {@link Unavailable#retryable()} failures with the same key and its configured back-off.
 *
 * <p>Error mapping (Stripe's error object: type, code, decline_code):
 * <ul>
 * <li>402 card_error: {@link Declined} with the decline_code (insufficient_funds, …), else the code
 * (card_declined, expired_card, authentication_required, …);</li>
 * <li>400/404 invalid_request_error: {@link Declined} when it names the payment method (an unknown
 * or used pm_ id), else a non-retryable {@link Unavailable} (a request this service got wrong);</li>
 * <li>network errors, 429, 409 (the same key still executing) and 5xx api_error: retryable
 * {@link Unavailable}. A retry carries the same key, so it can never charge twice: a request that
 * did execute is replayed (a saved 500 too, which then ends as payment-unavailable);</li>
 * <li>401/403: non-retryable {@link Unavailable}, the key is wrong.</li>
 * </ul>
 * Native image: stripe-java reads responses with Gson reflection into its model classes. The three
 * this adapter reads are registered below; their nested types (PaymentIntent.NextAction, …) are
 * reached only if stripe-java is in the Jandex index, which it is not (indexing its thousands of
 * classes slows every build), so a native build also needs a reflection-config.json for
 * com.stripe.model. No native build of this adapter has been made yet.
 */
@ApplicationScoped
@Typed(StripePaymentProvider.class)
@RegisterForReflection(targets = {PaymentIntent.class, Refund.class, StripeError.class}, registerFullHierarchy = true)
public class StripePaymentProvider implements PaymentProvider {

    private final StripeClient stripe;

    public StripePaymentProvider(PaymentConfig config) {
        PaymentConfig.Stripe settings = config.stripe();
        this.stripe = StripeClient.builder()
                .setApiKey(settings.apiKey().orElseThrow().strip())
                .setApiBase(settings.apiBase())
                .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .setMaxNetworkRetries(0)
                .build();
    }

    @Override
    public Instrument instrument() {
        return Instrument.PAYMENT_METHOD;
    }

    @Override
    public Uni<Charge> charge(ChargeRequest request) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(request.amountMinor())
                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                .setPaymentMethod(request.instrument())
                .addPaymentMethodType("card")
                .setConfirm(true)
                // The shopper is not on a page that can run 3-D Secure: fail instead of waiting in requires_action.
                .setErrorOnRequiresAction(true)
                .setDescription("Miaosha order " + request.orderId())
                .putMetadata("order_id", request.orderId())
                .putMetadata("charge_key", request.chargeKey())
                .build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(request.chargeKey()).build();
        return blocking(() -> stripe.v1().paymentIntents().create(params, options))
                .map(intent -> {
                    if (!"succeeded".equals(intent.getStatus())) {
                        // Cards settle synchronously; anything else (processing) is not money we hold yet.
                        Log.warnf("Stripe PaymentIntent %s of order %s is %s, not succeeded", intent.getId(),
                                request.orderId(), intent.getStatus());
                        throw new Unavailable("payment_intent_" + intent.getStatus(), false);
                    }
                    return new Charge(intent.getId(), intent.getAmount(), request.currency());
                });
    }

    @Override
    public Uni<Void> refund(String paymentId) {
        RefundCreateParams params = RefundCreateParams.builder()
                .setPaymentIntent(paymentId)
                .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                .putMetadata("cause", "hold_not_paid")
                .build();
        // One refund per payment, however often it is retried.
        RequestOptions options = RequestOptions.builder().setIdempotencyKey("miaosha-refund:" + paymentId).build();
        return blocking(() -> stripe.v1().refunds().create(params, options)).replaceWithVoid();
    }

    private static <T> Uni<T> blocking(Callable<T> call) {
        return Uni.createFrom().item(() -> {
            try {
                return call.call();
            } catch (StripeException e) {
                throw translate(e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new Unavailable(e.getClass().getSimpleName());
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static RuntimeException translate(StripeException e) {
        String code = e.getCode() == null ? "unknown" : e.getCode();
        if (e instanceof CardException card) {
            return new Declined(card.getDeclineCode() != null ? card.getDeclineCode() : code);
        }
        if (e instanceof IdempotencyException) {
            Log.errorf("Stripe refused an idempotency key: %s", e.getMessage());
            return new Unavailable("idempotency_error", false);
        }
        if (e instanceof InvalidRequestException invalid) {
            if (invalid.getParam() != null && invalid.getParam().startsWith("payment_method")) {
                return new Declined("payment_method_invalid");
            }
            Log.errorf("Stripe refused a request: %s", e.getMessage());
            return new Unavailable(code, false);
        }
        if (e instanceof AuthenticationException || e instanceof PermissionException) {
            Log.errorf("Stripe refused the API key (MIAOSHA_STRIPE_API_KEY): %s", e.getMessage());
            return new Unavailable("authentication", false);
        }
        if (e instanceof ApiConnectionException || e instanceof RateLimitException) {
            return new Unavailable(e instanceof RateLimitException ? "rate_limit" : "network");
        }
        Log.warnf("Stripe failed (HTTP %s): %s", e.getStatusCode(), e.getMessage());
        return new Unavailable(e.getStatusCode() != null && e.getStatusCode() == 409 ? "idempotency_key_in_use" : "api_error");
    }
}
