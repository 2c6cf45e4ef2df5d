package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

@ApplicationScoped
public class AccountService {

    /** bcrypt reads at most 72 bytes and silently ignores the rest: a longer password would be a shorter one. */
    static final int MAX_PASSWORD_BYTES = 72;

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final LoginThrottle throttle;
    private final SessionRevocations revocations;
    private final EmailVerificationService verification;

    public AccountService(AccountRepository accounts, PasswordHasher hasher, SessionTokens tokens, LoginThrottle throttle,
            SessionRevocations revocations, EmailVerificationService verification) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.revocations = revocations;
        this.verification = verification;
    }

    /** A shopper's sign-up: the account, and the email with the link that confirms its address. */
    public Uni<Account> register(EmailAddress email, String password) {
        return signUp(email, password, Role.SHOPPER).call(verification::sendFirstLink);
    }

    public Uni<Account> signUp(EmailAddress email, String password, String role) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PASSWORD_BYTES) {
            // Bcrypt reads at most 72 bytes of UTF-8: said in characters, with why a shorter one may not fit.
            String message = "is too long: a password may take at most " + MAX_PASSWORD_BYTES + " bytes, and accented"
                    + " letters take two, many symbols three and emoji four (this one is " + bytes + ")";
            return Uni.createFrom().failure(new Problems.InvalidRequest("password " + message,
                    List.of(Map.of("field", "password", "message", message))));
        }
        return hasher.hash(password).chain(hash -> accounts.insert(email, hash, role));
    }

    /**
     * Unknown email and wrong password fail alike, in about the same time: no account oracle. The
     * throttle counts the attempt first; a refused attempt costs no bcrypt.
     */
    public Uni<SessionTokens.Session> logIn(EmailAddress email, String password, String clientAddress) {
        return throttle.begin(email, clientAddress).chain(attempt -> accounts.findByEmail(email)
                .chain(account -> hasher.matches(password, account == null ? null : account.passwordHash())
                        .chain(ok -> {
                            if (!ok) {
                                return Uni.createFrom().failure(new Problems.BadCredentials());
                            }
                            return throttle.succeeded(attempt)
                                    .chain(() -> revocations.currentVersion(account.id()))
                                    .map(version -> tokens.issue(account, version));
                        })));
    }

    /** Ends the caller's token on every instance; its other sessions stay. */
    public Uni<Void> logOut(JsonWebToken session) {
        long userId = Long.parseLong(session.getSubject());
        if (session.getTokenID() == null) {
            return revocations.endAllSessions(userId);
        }
        return revocations.endToken(userId, session.getTokenID(), Instant.ofEpochSecond(session.getExpirationTime()));
    }

    public Uni<Account> find(long id) {
        return accounts.findById(id).onItem().ifNull().failWith(() -> new Problems.NotFound("Account", id));
    }

    /** A new role takes effect at the user's next log-in: every session of the old role ends now. */
    public Uni<Account> changeRole(long id, String role) {
        return accounts.updateRole(id, role)
                .onItem().ifNull().failWith(() -> new Problems.NotFound("Account", id))
                .call(account -> revocations.endAllSessions(id));
    }

    /** Removes the account (its orders stay, with their user id) and ends its sessions everywhere. */
    public Uni<Void> remove(long id) {
        return accounts.delete(id)
                .chain(deleted -> deleted ? revocations.endAllSessions(id) : Uni.createFrom().failure(new Problems.NotFound("Account", id)));
    }
}
