package io.miaosha.api.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.miaosha.testsupport.FreshSecrets;
import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.TestStores;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged flash-sale-api in the production profile queues its verification emails with the
 * default AWS credentials chain (the instance role in AWS) and AWS's own endpoint, never the dev
 * profile's ElasticMQ with the static keys "local": an empty MIAOSHA_SQS_ENDPOINT sets no override.
 * A local HTTP sink stands in for SQS: the SDK's own AWS_ENDPOINT_URL_SQS reaches it only when no
 * override is set, and the chain's first provider (AWS_ACCESS_KEY_ID) signs the request.
 */
class ProductionSqsIT {

    private static final Path JAR = Path.of(System.getProperty("miaosha.it.api-jar", "target/quarkus-app/quarkus-run.jar"));
    private static final String CHAIN_KEY = "AKIDFROMTHECHAIN";

    private final List<String> signatures = new CopyOnWriteArrayList<>();
    private HttpServer sqs;

    @BeforeEach
    void sqsSink() throws Exception {
        sqs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sqs.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            signatures.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        sqs.start();
    }

    @AfterEach
    void stopSink() {
        sqs.stop(0);
    }

    @Test
    void anEmptyEndpointAndNoCredentialsSettingMeanAwsAndTheDefaultChain() throws Exception {
        String sink = "http://127.0.0.1:" + sqs.getAddress().getPort();
        ServiceProcess api = start(Map.of("MIAOSHA_SQS_ENDPOINT", "", "AWS_ENDPOINT_URL_SQS", sink,
                "MIAOSHA_EMAIL_QUEUE_URL", sink + "/000000000000/miaosha-email"));
        try {
            HttpResponse<String> signup = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(api.baseUrl() + "/api/auth/signup"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"sqs-" + System.nanoTime() + "@test.miaosha.dev\",\"password\":\"longenough\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, signup.statusCode(), signup.body());
            for (int i = 0; i < 100 && signatures.isEmpty(); i++) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertFalse(signatures.isEmpty(), "the verification email never reached the SDK's own endpoint; see " + api.log());
            signatures.forEach(signature -> {
                assertTrue(signature.contains("Credential=" + CHAIN_KEY + "/"), "not signed by the default chain: " + signature);
                assertFalse(signature.contains("Credential=local/"), signature);
            });
        } finally {
            api.close();
        }
    }

    private static ServiceProcess start(Map<String, String> change) throws Exception {
        Map<String, String> env = new HashMap<>(FreshSecrets.generate().environment());
        env.put("MIAOSHA_DB_NAME", TestStores.DB);
        env.put("MIAOSHA_REDIS_URL", TestStores.redisUrl(TestStores.REDIS_DB));
        env.put("RABBITMQ_VIRTUAL_HOST", TestStores.API_VHOST);
        env.put("MIAOSHA_RELAY_ENABLED", "false");
        env.put("MIAOSHA_DEMO_ENABLED", "false");
        env.put("MIAOSHA_ARMING_HORIZON", "PT0S");
        env.put("MIAOSHA_PAYMENT_PROVIDER", "stripe");
        env.put("MIAOSHA_STRIPE_API_KEY", "sk_test_neverUsedByTheseTests");
        env.put("MIAOSHA_STOREFRONT_URL", "https://shop.example");
        // The chain's first source; nothing else of the machine's AWS settings may take part.
        env.put("AWS_ACCESS_KEY_ID", CHAIN_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", "chain-secret");
        env.put("AWS_SESSION_TOKEN", null);
        env.put("AWS_PROFILE", null);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("MIAOSHA_SQS_CREDENTIALS", null);
        env.put("QUARKUS_PROFILE", null);
        env.putAll(change);
        return ServiceProcess.jar(JAR).name("flash-sale-api-sqs").heap("256m").jvmArg("-XX:TieredStopAtLevel=1")
                .environment(env).start(Duration.ofSeconds(90));
    }
}
