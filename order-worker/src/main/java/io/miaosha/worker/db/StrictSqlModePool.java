package io.miaosha.worker.db;

import io.quarkus.logging.Log;
import io.quarkus.reactive.mysql.client.MySQLPoolCreator;
import io.vertx.mysqlclient.MySQLPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * The reactive writer pool sets {@code sql_mode} on every new connection before the pool hands it out
 * (the reactive client has no URL option for session variables; the JDBC data source sets the same
 * mode with {@code sessionVariables}): in strict mode the database refuses a value the system would
 * not accept, an out-of-range date say, instead of storing a zero that later reads back as NULL.
 * The flash-sale-api configures its pools the same way.
 */
@Singleton
public class StrictSqlModePool implements MySQLPoolCreator {

    private final String sqlMode;

    public StrictSqlModePool(DbConfig config) {
        String sqlMode = config.sqlMode();
        if (!sqlMode.matches("[A-Z_,]+")) {
            throw new IllegalArgumentException("miaosha.db.sql-mode must be a comma-separated list of SQL mode names");
        }
        this.sqlMode = sqlMode;
    }

    @Override
    public Pool create(Input input) {
        MySQLPool pool = MySQLPool.pool(input.vertx(), input.mySQLConnectOptionsList(), input.poolOptions());
        // The handler runs before the connection joins the pool; close() hands it over.
        pool.connectHandler(connection -> connection.query("SET SESSION sql_mode = '" + sqlMode + "'").execute()
                .onFailure(e -> Log.errorf(e, "could not set sql_mode %s on a new database connection", sqlMode))
                .onComplete(done -> connection.close()));
        return pool;
    }
}
