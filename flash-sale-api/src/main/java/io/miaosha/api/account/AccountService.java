package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AccountService {

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;

    public AccountService(AccountRepository accounts, PasswordHasher hasher, SessionTokens tokens) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.tokens = tokens;
    }

    public Uni<Account> signUp(EmailAddress email, String password, String role) {
        return hasher.hash(password).chain(hash -> accounts.insert(email, hash, role));
    }

    /** Unknown email and wrong password fail alike, in about the same time: no account oracle. */
    public Uni<SessionTokens.Session> logIn(EmailAddress email, String password) {
        return accounts.findByEmail(email)
                .chain(account -> hasher.matches(password, account == null ? null : account.passwordHash())
                        .map(ok -> {
                            if (!ok) {
                                throw new Problems.BadCredentials();
                            }
                            return tokens.issue(account);
                        }));
    }

    public Uni<Account> find(long id) {
        return accounts.findById(id).onItem().ifNull().failWith(() -> new Problems.NotFound("Account", id));
    }
}
