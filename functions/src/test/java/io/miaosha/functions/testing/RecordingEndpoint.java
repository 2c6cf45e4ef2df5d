package io.miaosha.functions.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP endpoint that records every request and answers as the services would: the Auto
 * Scaling query API (UpdateAutoScalingGroup) and the flash-sale API's login, arm and catalog.
 * The function talks to it through its real clients (AWS SDK v2, REST client): no AWS account, no network.
 */
public class RecordingEndpoint implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("MIAOSHA_TEST_RECORDER_PORT", "18391"));
    public static final List<Recorded> REQUESTS = new CopyOnWriteArrayList<>();

    public record Recorded(String method, String path, String authorization, String contentType, String accept, String body) {
    }

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        } catch (IOException e) {
            throw new IllegalStateException("port " + PORT + " is taken; set MIAOSHA_TEST_RECORDER_PORT", e);
        }
        server.createContext("/", this::handle);
        server.start();
        // The SDK's default credentials chain reads these; any value passes a local endpoint.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        String url = "http://127.0.0.1:" + PORT;
        return Map.of("miaosha.schedule.auto-scaling-endpoint", url, "quarkus.rest-client.miaosha-api.url", url);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        REQUESTS.add(new Recorded(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Accept"), body));
        String answer;
        String type = "application/json";
        if (body.contains("Action=UpdateAutoScalingGroup")) {
            type = "text/xml";
            answer = "<UpdateAutoScalingGroupResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                    + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></UpdateAutoScalingGroupResponse>";
        } else if (path.equals("/api/auth/login")) {
            answer = "{\"token\":\"admin-token\"}";
        } else if (path.startsWith("/api/sales") && path.length() > "/api/sales".length()) {
            answer = "{\"id\":1}";
        } else if (path.equals("/api/sales")) {
            answer = "[]";
        } else {
            answer = "{}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
