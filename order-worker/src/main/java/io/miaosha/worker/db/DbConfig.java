package io.miaosha.worker.db;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "miaosha.db")
public interface DbConfig {

    /**
     * The SQL mode every connection runs in, strict: the JDBC URL's sessionVariables and
     * {@link StrictSqlModePool} set it.
     */
    String sqlMode();
}
