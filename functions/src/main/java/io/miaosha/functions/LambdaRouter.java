package io.miaosha.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.functions.email.EmailHandler;
import io.miaosha.functions.schedule.ScheduledStartHandler;
import io.miaosha.functions.schedule.SchedulerTask;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point of the deployment package (quarkus.lambda.handler=router; the functions must
 * not override it with QUARKUS_LAMBDA_HANDLER, or events would skip the router). Both functions (the
 * SQS-triggered email function and the scheduled start) deploy the same package, so this router hands
 * each event to the handler its shape names: SQS batches carry "Records", EventBridge Scheduler
 * inputs a "task".
 */
@Named("router")
public class LambdaRouter implements RequestStreamHandler {

    private final EmailHandler email;
    private final ScheduledStartHandler scheduledStart;
    private final ObjectMapper json;
    /** AWS spells the SQS fields "Records" and "eventSourceARN"; the event classes' setters do not. */
    private final ObjectMapper events;

    public LambdaRouter(EmailHandler email, ScheduledStartHandler scheduledStart, ObjectMapper json) {
        this.email = email;
        this.scheduledStart = scheduledStart;
        this.json = json;
        this.events = json.copy()
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = json.readTree(input);
        Object answer;
        if (event.has("Records")) {
            answer = email.handleRequest(events.treeToValue(event, SQSEvent.class), context);
        } else if (event.has("task")) {
            answer = scheduledStart.handleTask(SchedulerTask.parse(event));
        } else {
            throw new IllegalArgumentException("neither an SQS batch nor a scheduler task: "
                    + (event.isObject() ? "fields " + fieldNames(event) : event.getNodeType()));
        }
        json.writeValue(output, answer);
    }

    private static List<String> fieldNames(JsonNode event) {
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
