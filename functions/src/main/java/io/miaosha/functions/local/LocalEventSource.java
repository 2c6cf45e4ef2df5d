package io.miaosha.functions.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
 * <li>{@code schedule}: like EventBridge Scheduler: reads the catalog every few seconds and sends
 * the scheduled-start function an OPEN event {@code LEAD_SECONDS} before each sale opens, and a
 * CLOSE event when it closes.</li>
 * </ul>
 * Run it with the function's runner jar on the class path. Configured by environment: QUEUE_URL
 * (sqs), API_URL, LEAD_SECONDS and POLL_SECONDS (schedule), plus the function's own settings.
 */
public final class LocalEventSource {

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

    private static void schedule(LocalLambdaInvoker function) throws Exception {
        String api = env("API_URL", "http://127.0.0.1:8080");
        long leadMs = Long.parseLong(env("LEAD_SECONDS", "120")) * 1000;
        Set<String> fired = new HashSet<>();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/sales")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long now = System.currentTimeMillis();
                for (JsonNode sale : JSON.readTree(response.body())) {
                    long id = sale.path("id").asLong();
                    long opens = Instant.parse(sale.path("opensAt").asText()).toEpochMilli();
                    long closes = Instant.parse(sale.path("closesAt").asText()).toEpochMilli();
                    boolean cancelled = "CANCELLED".equals(sale.path("status").asText());
                    if (!cancelled && now >= opens - leadMs && now < closes && fired.add(id + ":OPEN")) {
                        fire(function, id, "OPEN");
                    }
                    if (now >= closes && fired.contains(id + ":OPEN") && fired.add(id + ":CLOSE")) {
                        fire(function, id, "CLOSE");
                    }
                }
            } catch (Exception e) {
                log("schedule round failed (" + e.getMessage() + "); retrying");
            }
            Thread.sleep(Long.parseLong(env("POLL_SECONDS", "5")) * 1000);
        }
    }

    private static void fire(LocalLambdaInvoker function, long saleId, String phase) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", "Miaosha Sale Schedule")
                .put("source", "miaosha.scheduler").put("account", "000000000000").put("time", Instant.now().toString())
                .put("region", "local");
        event.putArray("resources");
        event.putObject("detail").put("saleId", saleId).put("phase", phase);
        log("sale " + saleId + " " + phase + ": " + function.invoke(JSON.writeValueAsString(event)));
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
