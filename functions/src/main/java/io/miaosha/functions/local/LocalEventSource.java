package io.miaosha.functions.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.miaosha.functions.schedule.SchedulerTask;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in for what AWS puts in front of the functions (not deployed; the run command
 * and the end-to-end check start it). It calls the packaged function the way AWS's managed Java
 * runtime does, through {@code QuarkusStreamHandler::handleRequest} in this JVM (which boots Quarkus
 * on the first call), and feeds it events:
 * <ul>
 * <li>{@code sqs}: like an SQS event source mapping with ReportBatchItemFailures: long-polls the
 * queue (ElasticMQ), invokes the function with up to 10 records, deletes the records it did not
 * report as failed; failed ones come back after the visibility timeout, and the queue's redrive
 * policy moves them to the dead-letter queue after maxReceiveCount receives.</li>
 * <li>{@code schedule}: like the two EventBridge Scheduler schedules of infra-cdk's ServerlessStack,
 * with the same inputs: {@value #ARM_UPCOMING} every {@code ARM_EVERY_SECONDS} (60, the first run at
 * start) and {@value #SCALE_IN} every {@code SCALE_IN_EVERY_SECONDS} (900). The function asks the API
 * what to arm, so the local run exercises exactly what runs in AWS; a run that fails is logged and the
 * next one goes ahead, as a schedule without retries does.</li>
 * </ul>
 * Run it with the function's runner jar on the class path. Configured by environment: QUEUE_URL
 * (sqs), ARM_EVERY_SECONDS and SCALE_IN_EVERY_SECONDS (schedule), plus the function's own settings
 * (MIAOSHA_API_URL, MIAOSHA_ARMING_KEY).
 */
public final class LocalEventSource {

    /** The arming schedule's input, byte for byte as ServerlessStack synthesizes it (keys sorted). */
    static final String ARM_UPCOMING = "{\"lookaheadMinutes\":" + SchedulerTask.DEFAULT_LOOKAHEAD_MINUTES
            + ",\"task\":\"arm-upcoming\"}";
    static final String SCALE_IN = "{\"task\":\"scale-in\"}";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LocalEventSource() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "sqs";
        LocalLambdaInvoker function = new LocalLambdaInvoker();
        log("invoking the function in-process, mode " + mode);
        if (mode.equals("schedule")) {
            schedule(function);
        } else {
            pollQueue(function);
        }
    }

    private static void pollQueue(LocalLambdaInvoker function) throws Exception {
        String queueUrl = env("QUEUE_URL", "http://127.0.0.1:9324/000000000000/miaosha-email");
        String endpoint = URI.create(queueUrl).resolve("/").toString();
        String arn = "arn:aws:sqs:local:000000000000:" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
        while (true) {
            JsonNode received;
            try {
                received = sqs(endpoint, "ReceiveMessage", Map.of("QueueUrl", queueUrl, "MaxNumberOfMessages", 10,
                        "WaitTimeSeconds", 2, "AttributeNames", List.of("All"), "MessageAttributeNames", List.of("All")));
            } catch (Exception e) {
                log("queue not reachable (" + e.getMessage() + "); retrying");
                Thread.sleep(1000);
                continue;
            }
            JsonNode messages = received.path("Messages");
            if (!messages.isArray() || messages.isEmpty()) {
                continue;
            }
            ObjectNode event = JSON.createObjectNode();
            ArrayNode records = event.putArray("Records");
            for (JsonNode message : messages) {
                ObjectNode record = records.addObject();
                record.put("messageId", message.path("MessageId").asText());
                record.put("receiptHandle", message.path("ReceiptHandle").asText());
                record.put("body", message.path("Body").asText());
                record.set("attributes", message.path("Attributes").isObject() ? message.path("Attributes") : JSON.createObjectNode());
                record.set("messageAttributes", JSON.createObjectNode());
                record.put("md5OfBody", message.path("MD5OfBody").asText());
                record.put("eventSource", "aws:sqs");
                record.put("eventSourceARN", arn);
                record.put("awsRegion", "local");
            }
            Set<String> failed = new HashSet<>();
            try {
                JsonNode answer = JSON.readTree(function.invoke(JSON.writeValueAsString(event)));
                answer.path("batchItemFailures").forEach(failure -> failed.add(failure.path("itemIdentifier").asText()));
            } catch (Exception e) {
                log("invocation failed, the whole batch comes back: " + e.getMessage());
                continue;
            }
            List<Map<String, String>> done = new ArrayList<>();
            for (JsonNode message : messages) {
                if (!failed.contains(message.path("MessageId").asText())) {
                    done.add(Map.of("Id", Integer.toString(done.size()), "ReceiptHandle", message.path("ReceiptHandle").asText()));
                }
            }
            if (!done.isEmpty()) {
                sqs(endpoint, "DeleteMessageBatch", Map.of("QueueUrl", queueUrl, "Entries", done));
            }
            log("delivered " + messages.size() + " email job(s), " + failed.size() + " reported failed");
        }
    }

    private static void schedule(LocalLambdaInvoker function) throws InterruptedException {
        long armEvery = seconds("ARM_EVERY_SECONDS", 60);
        long scaleInEvery = seconds("SCALE_IN_EVERY_SECONDS", 900);
        log("arm-upcoming every " + armEvery + " s, scale-in every " + scaleInEvery + " s");
        // One thread, like one function that runs one invocation at a time: a slow run delays the next.
        ScheduledExecutorService schedules = Executors.newSingleThreadScheduledExecutor();
        schedules.scheduleAtFixedRate(() -> run(function, ARM_UPCOMING), 0, armEvery, TimeUnit.SECONDS);
        schedules.scheduleAtFixedRate(() -> run(function, SCALE_IN), scaleInEvery, scaleInEvery, TimeUnit.SECONDS);
        schedules.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }

    private static void run(LocalLambdaInvoker function, String input) {
        try {
            log(input + " -> " + function.invoke(input));
        } catch (Exception e) {
            // Caught: an exception would cancel the schedule's later runs.
            log(input + " failed (" + e.getMessage() + "); the next run goes ahead");
        }
    }

    private static long seconds(String name, long fallback) {
        long value = Long.parseLong(env(name, Long.toString(fallback)));
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 second, not " + value);
        }
        return value;
    }

    /** One call of the SQS JSON protocol (what SDK v2 speaks, and ElasticMQ answers). */
    private static JsonNode sqs(String endpoint, String action, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint))
                        .header("Content-Type", "application/x-amz-json-1.0")
                        .header("X-Amz-Target", "AmazonSQS." + action)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(action + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void log(String message) {
        System.out.println("[local-event-source] " + message);
    }
}
