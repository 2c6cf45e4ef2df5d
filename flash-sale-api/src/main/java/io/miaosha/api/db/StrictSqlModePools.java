package io.miaosha.api.db;

import io.quarkus.logging.Log;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.reactive.mysql.client.MySQLPoolCreator;
import io.vertx.mysqlclient.MySQLPool;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Both reactive pools (the writer and the {@code read} replica) set {@code sql_mode} on every new
 * connection, before the pool hands it out: in a lenient mode MariaDB stores an out-of-range date
 * sent over the binary protocol as {@code 0000-00-00}, which reads back as NULL and breaks every
 * listing that meets it. In strict mode the same statement fails and nothing is stored. The reactive
 * client has no URL option for session variables, hence the connect handler; the JDBC data source
 * (Flyway) sets the same mode with {@code sessionVariables} in its URL.
 */
@Singleton
public class StrictSqlModePools {

    private final String sqlMode;

    public StrictSqlModePools(DbConfig config) {
        String sqlMode = config.sqlMode();
        if (!sqlMode.matches("[A-Z_,]+")) {
            throw new IllegalArgumentException("miaosha.db.sql-mode must be a comma-separated list of SQL mode names");
        }
        this.sqlMode = sqlMode;
    }

    @Produces
    @Singleton
    MySQLPoolCreator writer() {
        return this::create;
    }

    @Produces
    @Singleton
    @ReactiveDataSource("read")
    MySQLPoolCreator reader() {
        return this::create;
    }

    private Pool create(MySQLPoolCreator.Input input) {
        MySQLPool pool = MySQLPool.pool(input.vertx(), input.mySQLConnectOptionsList(), input.poolOptions());
        // The handler runs before the connection joins the pool; close() hands it over.
        pool.connectHandler(connection -> connection.query("SET SESSION sql_mode = '" + sqlMode + "'").execute()
                .onFailure(e -> Log.errorf(e, "could not set sql_mode %s on a new database connection", sqlMode))
                .onComplete(done -> connection.close()));
        return pool;
    }
}
