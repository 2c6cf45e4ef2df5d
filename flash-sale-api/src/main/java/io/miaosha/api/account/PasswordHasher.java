package io.miaosha.api.account;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * bcrypt hashing and checking. bcrypt is slow on purpose (tens of milliseconds), so every call
 * runs on a worker thread and never holds up the event loop that serves purchases.
 */
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    /** Checked when the email is unknown, so that a wrong email costs as long as a wrong password. */
    private final String decoyHash;

    public PasswordHasher(AccountConfig config) {
        this.cost = config.bcryptCost();
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-for-timing", cost);
    }

    public Uni<String> hash(String password) {
        return Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public Uni<Boolean> matches(String password, String hashOrNull) {
        String hash = hashOrNull == null ? decoyHash : hashOrNull;
        return Uni.createFrom().item(() -> BcryptUtil.matches(password, hash) && hashOrNull != null)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
