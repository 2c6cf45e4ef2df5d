package io.miaosha.api.payment;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses the {@link PaymentProvider} from {@code miaosha.payment.provider} once, at startup, and
 * refuses to start when the choice is missing or incomplete. The choice is made at run time, not
 * at build time, because one packaged jar serves both the run command and a deployment. The test
 * provider approves test cards without charging: it is refused unless the dev or test profile is
 * active (the run and test commands start the API jar with {@code QUARKUS_PROFILE=dev}), so no
 * production start can give goods away, whatever its environment says.
 */
@Startup
@ApplicationScoped
public class PaymentProviders {

    /** Secret (sk_) or restricted (rk_) keys; a publishable key (pk_) cannot create PaymentIntents. */
    private static final Pattern SERVER_KEY = Pattern.compile("(sk|rk)_(live|test)_[A-Za-z0-9_]+");

    private final PaymentProvider chosen;

    public PaymentProviders(PaymentConfig config, Instance<TestPaymentProvider> test,
            Instance<StripePaymentProvider> stripe) {
        PaymentConfig.Provider provider = check(config, LaunchMode.current(), ConfigUtils.getProfiles());
        this.chosen = switch (provider) {
            case TEST -> test.get();
            case STRIPE -> stripe.get();
        };
        Log.infof("payment provider: %s", provider.name().toLowerCase());
    }

    @Produces
    @ApplicationScoped
    PaymentProvider provider() {
        return chosen;
    }

    /** The provider to use, or a refusal naming the setting that is missing or wrong. */
    static PaymentConfig.Provider check(PaymentConfig config, LaunchMode mode, List<String> profiles) {
        PaymentConfig.Provider provider = config.provider().orElseThrow(() -> new IllegalStateException(
                "No payment provider is configured: set miaosha.payment.provider (environment variable"
                        + " MIAOSHA_PAYMENT_PROVIDER) to 'stripe' and MIAOSHA_STRIPE_API_KEY to the Stripe secret key."
                        + " The built-in test provider approves test cards without charging anything, so it is never"
                        + " available outside the dev and test profiles."));
        if (provider == PaymentConfig.Provider.STRIPE) {
            String key = config.stripe().apiKey().map(String::strip).orElse("");
            if (key.isEmpty()) {
                throw new IllegalStateException("miaosha.payment.provider is 'stripe' but no Stripe key is configured:"
                        + " set miaosha.payment.stripe.api-key (environment variable MIAOSHA_STRIPE_API_KEY) to the"
                        + " account's secret key (sk_live_…).");
            }
            if (!SERVER_KEY.matcher(key).matches()) {
                throw new IllegalStateException("miaosha.payment.stripe.api-key (MIAOSHA_STRIPE_API_KEY) is not a Stripe"
                        + " secret or restricted key (sk_… or rk_…); a publishable key (pk_…) belongs in the browser only.");
            }
        }
        if (provider == PaymentConfig.Provider.TEST && !mode.isDevOrTest()
                && !profiles.contains("dev") && !profiles.contains("test")) {
            throw new IllegalStateException("miaosha.payment.provider (MIAOSHA_PAYMENT_PROVIDER) is 'test', but the test"
                    + " payment provider approves test cards without charging anything: it runs only in the dev and test"
                    + " profiles (QUARKUS_PROFILE=dev, as the run and test commands start it). In production set"
                    + " MIAOSHA_PAYMENT_PROVIDER=stripe and MIAOSHA_STRIPE_API_KEY to the Stripe secret key.");
        }
        return provider;
    }
}
