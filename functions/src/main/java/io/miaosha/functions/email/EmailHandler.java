package io.miaosha.functions.email;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.email.ConfirmationEmail;
import io.quarkus.logging.Log;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQS-triggered email Lambda. Each record is one confirmation; a record that fails (malformed,
 * or the SMTP server refused it) is reported in batchItemFailures, so SQS deletes the others and
 * delivers only that one again, until its queue's redrive policy moves it to the dead-letter queue.
 * (The event source mapping must enable ReportBatchItemFailures.)
 */
@Named("email")
public class EmailHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final ConfirmationMailer mailer;
    private final ObjectMapper json;

    public EmailHandler(ConfirmationMailer mailer, ObjectMapper json) {
        this.mailer = mailer;
        this.json = json;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                mailer.send(json.readValue(message.getBody(), ConfirmationEmail.class));
            } catch (Exception e) {
                Log.warnf("email job %s failed: %s", message.getMessageId(), e.getMessage());
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
