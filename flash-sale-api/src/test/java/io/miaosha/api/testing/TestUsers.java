package io.miaosha.api.testing;

import io.miaosha.api.account.Role;
import io.miaosha.testsupport.SessionTokens;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.vertx.mutiny.mysqlclient.MySQLClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creates users straight in MySQL (the signup endpoint has its own tests) and mints their session
 * tokens. Emails are unique per call, so suites sharing miaosha_test never collide.
 */
@ApplicationScoped
public class TestUsers {

    public static final String PASSWORD = "correct-horse";
    /** Hashed once: bcrypt is slow on purpose, and hundreds of users share the one password. */
    private static final String PASSWORD_HASH = BcryptUtil.bcryptHash(PASSWORD, 4);

    private final Pool db;

    public TestUsers(Pool db) {
        this.db = db;
    }

    public TestUser shopper() {
        return create(Role.SHOPPER);
    }

    public TestUser admin() {
        return create(Role.ADMIN);
    }

    public TestUser create(String role) {
        String email = uniqueEmail();
        long id = db.preparedQuery("INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
                .execute(Tuple.of(email, PASSWORD_HASH, role, LocalDateTime.now(ZoneOffset.UTC)))
                .map(rows -> rows.property(MySQLClient.LAST_INSERTED_ID))
                .await().atMost(Duration.ofSeconds(10));
        return new TestUser(id, email, role, SessionTokens.dev().session(id, email, role));
    }

    /** Many shoppers in one batch insert (the storm needs hundreds). */
    public List<TestUser> shoppers(int count) {
        String prefix = "storm-" + UUID.randomUUID() + "-";
        List<Tuple> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(Tuple.of(prefix + i + "@test.miaosha.dev", PASSWORD_HASH, Role.SHOPPER, LocalDateTime.now(ZoneOffset.UTC)));
        }
        db.preparedQuery("INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
                .executeBatch(rows).await().atMost(Duration.ofSeconds(30));
        List<TestUser> users = new ArrayList<>(count);
        db.preparedQuery("SELECT id, email FROM users WHERE email LIKE ? ORDER BY id")
                .execute(Tuple.of(prefix + "%")).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> users.add(new TestUser(row.getLong(0), row.getString(1), Role.SHOPPER,
                        SessionTokens.dev().session(row.getLong(0), row.getString(1), Role.SHOPPER))));
        return users;
    }

    public static String uniqueEmail() {
        return "u-" + UUID.randomUUID() + "@test.miaosha.dev";
    }
}
