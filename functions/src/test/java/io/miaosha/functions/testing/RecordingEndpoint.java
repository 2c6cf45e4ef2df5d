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
 * Scaling query API (UpdateAutoScalingGroup), Secrets Manager's JSON API (GetSecretValue), and the
 * flash-sale API's arming endpoints and catalog. The function talks to it through its real clients
 * (AWS SDK v2, REST client): no AWS account, no network.
 */
public class RecordingEndpoint implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("MIAOSHA_TEST_RECORDER_PORT", "18391"));
    public static final String SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:ArmingKey-AbCdEf";
    public static final String SECRET_VALUE = "key-from-secrets-manager";
    /** A secret of SES SMTP credentials, as the email function's {"username","password"} JSON. */
    public static final String SMTP_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:SmtpCredentials-GhIjKl";
    public static final String SMTP_USERNAME = "AKIAIOSFODNN7EXAMPLE";
    public static final String SMTP_PASSWORD = "smtp-password-from-secrets-manager";
    /** Requests of the current test (cleared before each). */
    public static final List<Recorded> REQUESTS = new CopyOnWriteArrayList<>();
    /** Every GetSecretValue of the arming key since start, never cleared: it is read once per application, not per test. */
    public static final List<Recorded> SECRET_READS = new CopyOnWriteArrayList<>();
    /** Every GetSecretValue of the SMTP credentials since start, never cleared. */
    public static final List<Recorded> SMTP_SECRET_READS = new CopyOnWriteArrayList<>();
    /** What the API lists as live or upcoming, as the JSON array of its answer's "sales". */
    public static volatile String upcomingSales = "[]";

    public record Recorded(String method, String path, String query, String authorization, String contentType,
                           String accept, String target, String armingKey, String body) {
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
        return Map.of("miaosha.schedule.auto-scaling-endpoint", url, "miaosha.schedule.secrets-manager-endpoint", url,
                "miaosha.mail.secrets-manager-endpoint", url, "quarkus.rest-client.miaosha-api.url", url);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        var headers = exchange.getRequestHeaders();
        Recorded request = new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
                headers.getFirst("Authorization"), headers.getFirst("Content-Type"), headers.getFirst("Accept"),
                headers.getFirst("X-Amz-Target"), headers.getFirst("X-Miaosha-Arming-Key"), body);
        REQUESTS.add(request);
        String answer;
        String type = "application/json";
        if (body.contains("Action=UpdateAutoScalingGroup")) {
            type = "text/xml";
            answer = "<UpdateAutoScalingGroupResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                    + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></UpdateAutoScalingGroupResponse>";
        } else if ("secretsmanager.GetSecretValue".equals(request.target()) && body.contains(SMTP_SECRET_ARN)) {
            SMTP_SECRET_READS.add(request);
            type = "application/x-amz-json-1.1";
            answer = "{\"ARN\":\"" + SMTP_SECRET_ARN + "\",\"Name\":\"SmtpCredentials\",\"SecretString\":"
                    + "\"{\\\"username\\\":\\\"" + SMTP_USERNAME + "\\\",\\\"password\\\":\\\"" + SMTP_PASSWORD + "\\\"}\","
                    + "\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.7E9}";
        } else if ("secretsmanager.GetSecretValue".equals(request.target())) {
            SECRET_READS.add(request);
            type = "application/x-amz-json-1.1";
            answer = "{\"ARN\":\"" + SECRET_ARN + "\",\"Name\":\"ArmingKey\",\"SecretString\":\"" + SECRET_VALUE
                    + "\",\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.7E9}";
        } else if (path.equals("/api/internal/arming/upcoming")) {
            answer = "{\"checkedAt\":\"2026-12-01T09:50:00Z\",\"lookaheadMinutes\":15,\"armed\":"
                    + request.method().equals("POST") + ",\"sales\":" + upcomingSales + "}";
        } else if (path.startsWith("/api/internal/arming/sales/")) {
            answer = "{\"id\":" + path.substring(path.lastIndexOf('/') + 1) + ",\"title\":\"Drop\",\"live\":false}";
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
