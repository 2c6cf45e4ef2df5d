package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.email.VerificationEmail;
import io.miaosha.common.text.Digests;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Pattern;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Confirms that an account owns its email address. A link carries 32 random bytes (base64url): too
 * many to guess, so a fast hash (SHA-256) is enough to keep MySQL from holding anything that works.
 * No secret signs it, so there is no production key to manage: the row is the proof, and it ends
 * when used or expired.
 */
@ApplicationScoped
public class EmailVerificationService {

    /** 32 bytes in unpadded base64url. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final EmailVerificationRepository links;
    private final VerificationEmailQueue emails;
    private final SessionTokens tokens;
    private final SessionRevocations revocations;
    private final AccountConfig.Verification config;
    private final SecureRandom random = new SecureRandom();

    public EmailVerificationService(EmailVerificationRepository links, VerificationEmailQueue emails, SessionTokens tokens,
            SessionRevocations revocations, AccountConfig config) {
        this.links = links;
        this.emails = emails;
        this.tokens = tokens;
        this.revocations = revocations;
        this.config = config.verification();
    }

    /**
     * The sign-up's link. The account exists whether or not the email could be queued (SQS down): the
     * shopper can ask again, so a failure is logged, not answered.
     */
    public Uni<Account> sendFirstLink(Account account) {
        return send(account.id())
                .onFailure().invoke(failure -> Log.warnf("could not queue the verification email of account %d: %s",
                        account.id(), failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWith(account);
    }

    /** "Send it again": refused when confirmed already or when the window's emails are used up. */
    public Uni<Instant> resend(long userId) {
        return send(userId);
    }

    /** Sends a new link and answers when it expires. */
    private Uni<Instant> send(long userId) {
        String token = newToken();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(config.linkTtl());
        return links.recordLink(userId, Digests.sha256Hex(token), now, expiresAt, now.minus(config.window()), config.maxEmails())
                .chain(sent -> {
                    if (sent.account() == null) {
                        return Uni.createFrom().failure(new Problems.NotFound("Account", userId));
                    }
                    if (sent.account().emailVerified()) {
                        return Uni.createFrom().failure(new Problems.EmailAlreadyVerified(sent.account().email()));
                    }
                    if (sent.inWindow() >= config.maxEmails()) {
                        Instant free = sent.oldestInWindow().plus(config.window());
                        long seconds = Math.max(1, Duration.between(now, free).toSeconds() + 1);
                        return Uni.createFrom().failure(new Problems.TooManyVerificationEmails(config.maxEmails(),
                                config.window(), seconds));
                    }
                    return emails.queue(new VerificationEmail(sent.account().email(), link(token), expiresAt))
                            .onFailure().transform(failure -> {
                                Log.warnf("could not queue a verification email of account %d: %s", userId, failure.toString());
                                return new Problems.EmailUnavailable();
                            })
                            .replaceWith(expiresAt);
                });
    }

    /**
     * Confirms the address of the link's account. {@code caller}: the user id of the session that asks
     * (0 for none); when it is the link's account, a fresh session, one that carries the claim, comes back.
     */
    public Uni<Confirmed> confirm(String token, long caller) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Uni.createFrom().failure(new Problems.VerificationLinkInvalid());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return links.confirm(Digests.sha256Hex(token), now).chain(outcome -> switch (outcome) {
            case EmailVerificationRepository.Confirmation.Unknown unknown ->
                    Uni.createFrom().failure(new Problems.VerificationLinkInvalid());
            case EmailVerificationRepository.Confirmation.Expired expired ->
                    Uni.createFrom().failure(new Problems.VerificationLinkExpired());
            case EmailVerificationRepository.Confirmation.Used used ->
                    Uni.createFrom().failure(new Problems.VerificationLinkUsed());
            case EmailVerificationRepository.Confirmation.Confirmed confirmed -> {
                Account account = confirmed.account();
                if (account.id() != caller) {
                    yield Uni.createFrom().item(new Confirmed(account.view(), null));
                }
                yield revocations.currentVersion(account.id())
                        .map(version -> new Confirmed(account.view(), tokens.issue(account, version)));
            }
        });
    }

    /** The confirmed account, and a fresh session when the caller was logged in as it (else null, left out of the JSON). */
    public record Confirmed(Account.AccountView account,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "A fresh session (its token says the email is confirmed) when the caller was logged in as"
                    + " this account; else absent: the next log-in gets one") SessionTokens.Session session) {
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String link(String token) {
        // Present: a production start without it is refused (StorefrontUrlAtStartup); dev and test default it.
        return config.storefrontUrl().orElseThrow() + "/verify-email#token=" + token;
    }
}
