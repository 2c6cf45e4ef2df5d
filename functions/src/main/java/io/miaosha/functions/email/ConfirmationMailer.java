package io.miaosha.functions.email;

import io.miaosha.common.email.ConfirmationEmail;
import io.miaosha.common.order.OrderIds;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.Map;

/** Renders the order confirmation (HTML and plain text, Qute) and sends it over SMTP. Blocking. */
@ApplicationScoped
public class ConfirmationMailer {

    private final Mailer mailer;
    private final Template html;
    private final Template text;

    public ConfirmationMailer(Mailer mailer, @Location("confirmation.html") Template html,
            @Location("confirmation.txt") Template text) {
        this.mailer = mailer;
        this.html = html;
        this.text = text;
    }

    public void send(ConfirmationEmail email) {
        Map<String, Object> data = Map.of(
                "email", email,
                "code", code(email),
                "unitPrice", money(email.unitPriceMinor(), email.currency()),
                "total", money(email.totalMinor(), email.currency()),
                "seats", String.join(", ", email.seats()));
        mailer.send(Mail.withHtml(email.recipient(), subject(email), html.data(data).render())
                .setText(text.data(data).render()));
    }

    static String subject(ConfirmationEmail email) {
        return "Your order " + code(email) + " is paid";
    }

    /** The short code the shopper saw on the confirmation page; a job from before order ids were UUIDs keeps its id. */
    static String code(ConfirmationEmail email) {
        return OrderIds.isValid(email.orderId()) ? OrderIds.shortCode(email.orderId()) : email.orderId();
    }

    /** Minor units to a display amount: 4999 EUR is "49.99 EUR" (two decimals, as for every currency we sell in). */
    static String money(long minor, String currency) {
        return BigDecimal.valueOf(minor, 2).toPlainString() + " " + currency;
    }
}
