package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.outage.Outages;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mysqlclient.MySQLException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Users in MySQL. Reads and writes go to the writer: a login must see the account just created. Only
 * the session check falls back to the replica, and only while the writer cannot be reached.
 */
@ApplicationScoped
public class AccountRepository {

    private static final int DUPLICATE_KEY = 1062;

    private final Pool writer;
    private final Pool reader;

    public AccountRepository(Pool writer, @ReactiveDataSource("read") Pool reader) {
        this.writer = writer;
        this.reader = reader;
    }

    public Uni<Account> insert(EmailAddress email, String passwordHash, String role) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return writer.preparedQuery("INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(email.value(), passwordHash, role, LocalDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> new Account(rows.property(MySQLClient.LAST_INSERTED_ID), email.value(), passwordHash, role, now, null))
                .onFailure(AccountRepository::isDuplicate).transform(e -> new Problems.EmailTaken(email.value()));
    }

    public Uni<Account> findByEmail(EmailAddress email) {
        return writer.preparedQuery("SELECT id, email, password_hash, role, created_at, email_verified_at FROM users WHERE email = ?")
                .execute(Tuple.of(email.value()))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<Account> findById(long id) {
        return findById(writer, id);
    }

    /**
     * The account a session names, for the session check of every request (the purchase path's
     * included): from the writer, or from the replica while the writer cannot be reached. Purchases
     * run on Redis alone, so a primary's outage or failover (60-120 s on RDS) must not stop them by
     * failing the check of every session not checked in the last moments. The replica may lag: an
     * account created in the last moment may be missing there, and its session waits for the writer.
     */
    public Uni<Account> findSessionAccount(long id) {
        return findById(writer, id).onFailure(Outages::isOutage).recoverWithUni(outage -> findById(reader, id)
                .onItem().ifNull().failWith(outage));
    }

    private static Uni<Account> findById(Pool pool, long id) {
        return pool.preparedQuery("SELECT id, email, password_hash, role, created_at, email_verified_at FROM users WHERE id = ?")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    /** The account with its new role, or null when there is no such account. */
    public Uni<Account> updateRole(long id, String role) {
        return writer.preparedQuery("UPDATE users SET role = ? WHERE id = ?").execute(Tuple.of(role, id))
                .chain(() -> findById(id));
    }

    /** Whether there was such an account. */
    public Uni<Boolean> delete(long id) {
        return writer.preparedQuery("DELETE FROM users WHERE id = ?").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    static Account map(Row row) {
        LocalDateTime verified = row.getLocalDateTime("email_verified_at");
        return new Account(row.getLong("id"), row.getString("email"), row.getString("password_hash"),
                row.getString("role"), row.getLocalDateTime("created_at").toInstant(ZoneOffset.UTC),
                verified == null ? null : verified.toInstant(ZoneOffset.UTC));
    }

    private static boolean isDuplicate(Throwable e) {
        return e instanceof MySQLException mysql && mysql.getErrorCode() == DUPLICATE_KEY;
    }
}
