package io.miaosha.functions.email;

import io.miaosha.common.email.VerificationEmail;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Renders the email verification link (HTML and plain text, Qute) and sends it over SMTP. Blocking. */
@ApplicationScoped
public class VerificationMailer {

    static final String SUBJECT = "Confirm your email for Miaosha";
    /** "2 December 2026, 06:40 UTC": the link's end, in words and with its time zone. */
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final Mailer mailer;
    private final Template html;
    private final Template text;

    public VerificationMailer(Mailer mailer, @Location("verification.html") Template html,
            @Location("verification.txt") Template text) {
        this.mailer = mailer;
        this.html = html;
        this.text = text;
    }

    public void send(VerificationEmail email) {
        Map<String, Object> data = Map.of("email", email, "until", UNTIL.format(email.expiresAt()));
        mailer.send(Mail.withHtml(email.recipient(), SUBJECT, html.data(data).render()).setText(text.data(data).render()));
    }
}
