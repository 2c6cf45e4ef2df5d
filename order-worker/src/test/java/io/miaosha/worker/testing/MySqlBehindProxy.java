package io.miaosha.worker.testing;

import io.miaosha.testsupport.TestStores;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The worker's reactive pool reaches MySQL through a {@link CuttableProxy}, so a test can take
 * the database away from the worker (and only from it) and give it back.
 */
public class MySqlBehindProxy implements QuarkusTestProfile {

    public static final CuttableProxy PROXY = CuttableProxy.to(3306);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.reactive.url", "mysql://127.0.0.1:" + PROXY.port() + "/" + TestStores.DB,
                // Short waits for a connection, so an outage shows as failures within the test's time.
                "quarkus.datasource.reactive.idle-timeout", "PT5S",
                "miaosha.retry.outage-max-back-off", "PT1S");
    }
}
