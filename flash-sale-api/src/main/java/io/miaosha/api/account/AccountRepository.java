package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
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

/** Users in MySQL. Reads and writes go to the writer: a login must see the account just created. */
@ApplicationScoped
public class AccountRepository {

    private static final int DUPLICATE_KEY = 1062;

    private final Pool writer;

    public AccountRepository(Pool writer) {
        this.writer = writer;
    }

    public Uni<Account> insert(EmailAddress email, String passwordHash, String role) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return writer.preparedQuery("INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(email.value(), passwordHash, role, LocalDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> new Account(rows.property(MySQLClient.LAST_INSERTED_ID), email.value(), passwordHash, role, now))
                .onFailure(AccountRepository::isDuplicate).transform(e -> new Problems.EmailTaken(email.value()));
    }

    public Uni<Account> findByEmail(EmailAddress email) {
        return writer.preparedQuery("SELECT id, email, password_hash, role, created_at FROM users WHERE email = ?")
                .execute(Tuple.of(email.value()))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<Account> findById(long id) {
        return writer.preparedQuery("SELECT id, email, password_hash, role, created_at FROM users WHERE id = ?")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    private static Account map(Row row) {
        return new Account(row.getLong("id"), row.getString("email"), row.getString("password_hash"),
                row.getString("role"), row.getLocalDateTime("created_at").toInstant(ZoneOffset.UTC));
    }

    private static boolean isDuplicate(Throwable e) {
        return e instanceof MySQLException mysql && mysql.getErrorCode() == DUPLICATE_KEY;
    }
}
