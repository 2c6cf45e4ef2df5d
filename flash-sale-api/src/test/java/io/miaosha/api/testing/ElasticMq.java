package io.miaosha.api.testing;

import io.miaosha.testsupport.ElasticMqServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** ElasticMQ for this module's Quarkus tests (test-support's {@link ElasticMqServer}). */
public class ElasticMq implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = ElasticMqServer.PORT;
    public static final String QUEUE_URL = ElasticMqServer.QUEUE_URL;

    private ElasticMqServer server;

    @Override
    public Map<String, String> start() {
        server = ElasticMqServer.startUnlessListening();
        return Map.of();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
