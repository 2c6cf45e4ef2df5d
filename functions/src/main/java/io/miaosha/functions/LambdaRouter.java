package io.miaosha.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.miaosha.functions.email.EmailHandler;
import io.miaosha.functions.schedule.ScheduledStartHandler;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The one entry point of the deployment package. Quarkus fixes a package's handler at build time,
 * and both functions (the SQS-triggered email function and the EventBridge-triggered scheduled
 * start) deploy the same package, so this router hands each event to the handler its shape names:
 * SQS batches carry "Records", EventBridge events "detail-type".
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
        } else if (event.has("detail-type")) {
            ObjectNode scheduled = ((ObjectNode) event).deepCopy();
            // Only the detail matters; "time" would need a Joda-Time mapper for nothing.
            scheduled.remove("time");
            answer = scheduledStart.handleRequest(events.treeToValue(scheduled, ScheduledEvent.class), context);
        } else {
            throw new IllegalArgumentException("neither an SQS batch nor an EventBridge event: " + event.fieldNames());
        }
        json.writeValue(output, answer);
    }
}
