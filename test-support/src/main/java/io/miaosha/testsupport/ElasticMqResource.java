package io.miaosha.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** ElasticMQ for a module's Quarkus tests ({@link ElasticMqServer}): started unless one already listens, stopped if started here. */
public class ElasticMqResource implements QuarkusTestResourceLifecycleManager {

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
