package io.miaosha.api.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The verification links sent (table email_verifications: the token's hash, never the token) and the
 * confirmation itself (users.email_verified_at), on the writer. Each change runs in one transaction
 * that first locks the account's row, so two confirmations of one link, or two resends racing the
 * limit, are decided one after the other.
 */
@ApplicationScoped
public class EmailVerificationRepository {

    private final Pool writer;

    public EmailVerificationRepository(Pool writer) {
        this.writer = writer;
    }

    /** What asking for a link found: the account (null when gone), how many were sent within the window and the oldest of them. */
    public record Sent(Account account, int inWindow, Instant oldestInWindow) {
    }

    /**
     * Records a new link for the account unless it is confirmed already or {@code max} links were sent
     * since {@code windowStart}; the answer says which (a link was recorded when {@code inWindow} is
     * below {@code max} and the account is not verified).
     */
    public Uni<Sent> recordLink(long userId, String tokenHash, Instant now, Instant expiresAt, Instant windowStart, int max) {
        return writer.withTransaction(connection -> lockAccount(connection, userId).chain(account -> {
            if (account == null || account.emailVerified()) {
                return Uni.createFrom().item(new Sent(account, 0, null));
            }
            return connection.preparedQuery("SELECT COUNT(*) AS sent, MIN(created_at) AS oldest FROM email_verifications"
                            + " WHERE user_id = ? AND created_at > ?")
                    .execute(Tuple.of(userId, utc(windowStart)))
                    .chain(rows -> {
                        Row row = rows.iterator().next();
                        int sent = row.getInteger("sent");
                        LocalDateTime oldest = row.getLocalDateTime("oldest");
                        Sent found = new Sent(account, sent, oldest == null ? null : oldest.toInstant(ZoneOffset.UTC));
                        if (sent >= max) {
                            return Uni.createFrom().item(found);
                        }
                        return connection.preparedQuery("INSERT INTO email_verifications (token_hash, user_id, created_at, expires_at)"
                                        + " VALUES (?, ?, ?, ?)")
                                .execute(Tuple.of(tokenHash, userId, utc(now), utc(expiresAt)))
                                .replaceWith(found);
                    });
        }));
    }

    /** Why a link did or did not confirm; {@code account} is the confirmed account on success. */
    public sealed interface Confirmation {
        record Confirmed(Account account) implements Confirmation {
        }

        record Unknown() implements Confirmation {
        }

        record Expired() implements Confirmation {
        }

        record Used() implements Confirmation {
        }
    }

    /** Uses the link of this token hash, once and before it expires, and marks its account confirmed. */
    public Uni<Confirmation> confirm(String tokenHash, Instant now) {
        return writer.withTransaction(connection -> connection
                .preparedQuery("SELECT user_id, expires_at, used_at FROM email_verifications WHERE token_hash = ?")
                .execute(Tuple.of(tokenHash))
                .chain(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(new Confirmation.Unknown());
                    }
                    long userId = rows.iterator().next().getLong("user_id");
                    // Lock the account, then read the link again under that lock: a second confirmation of
                    // the same link waits here and then finds it used.
                    return lockAccount(connection, userId).chain(account -> connection
                            .preparedQuery("SELECT expires_at, used_at FROM email_verifications WHERE token_hash = ?")
                            .execute(Tuple.of(tokenHash))
                            .chain(again -> {
                                Row link = again.iterator().next();
                                if (account == null) {
                                    return Uni.createFrom().item(new Confirmation.Unknown());
                                }
                                if (link.getLocalDateTime("used_at") != null) {
                                    return Uni.createFrom().item(new Confirmation.Used());
                                }
                                if (!link.getLocalDateTime("expires_at").toInstant(ZoneOffset.UTC).isAfter(now)) {
                                    return Uni.createFrom().item(new Confirmation.Expired());
                                }
                                Instant verifiedAt = account.emailVerified() ? account.emailVerifiedAt() : now;
                                return connection.preparedQuery("UPDATE email_verifications SET used_at = ? WHERE token_hash = ?")
                                        .execute(Tuple.of(utc(now), tokenHash))
                                        .chain(() -> connection.preparedQuery("UPDATE users SET email_verified_at = ? WHERE id = ?")
                                                .execute(Tuple.of(utc(verifiedAt), userId)))
                                        .replaceWith(new Confirmation.Confirmed(new Account(account.id(), account.email(),
                                                account.passwordHash(), account.role(), account.createdAt(), verifiedAt)));
                            }));
                }));
    }

    private static Uni<Account> lockAccount(SqlConnection connection, long userId) {
        return connection.preparedQuery("SELECT id, email, password_hash, role, created_at, email_verified_at FROM users"
                        + " WHERE id = ? FOR UPDATE")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().hasNext() ? AccountRepository.map(rows.iterator().next()) : null);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
