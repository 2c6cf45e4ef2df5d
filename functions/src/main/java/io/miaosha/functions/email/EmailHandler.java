package io.miaosha.functions.email;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.email.ConfirmationEmail;
import io.miaosha.common.email.VerificationEmail;
import io.quarkus.logging.Log;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQS-triggered email Lambda. Each record is one email job: an order confirmation (a job without a
 * {@code kind}, as the order-worker queues it) or an email verification link ({@code kind}
 * {@value VerificationEmail#KIND}, from flash-sale-api). A record that fails (malformed,
 * or the SMTP server refused it) is reported in batchItemFailures, so SQS deletes the others and
 * delivers only that one again, until its queue's redrive policy moves it to the dead-letter queue.
 * (The event source mapping must enable ReportBatchItemFailures.)
 */
@Named("email")
public class EmailHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final ConfirmationMailer mailer;
    private final VerificationMailer verificationMailer;
    private final ObjectMapper json;

    public EmailHandler(ConfirmationMailer mailer, VerificationMailer verificationMailer, ObjectMapper json) {
        this.mailer = mailer;
        this.verificationMailer = verificationMailer;
        this.json = json;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                send(json.readTree(message.getBody()));
            } catch (Exception e) {
                Log.warnf("email job %s failed: %s", message.getMessageId(), e.getMessage());
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private void send(JsonNode job) throws JsonProcessingException {
        JsonNode kind = job.get("kind");
        if (kind == null) {
            mailer.send(json.treeToValue(job, ConfirmationEmail.class));
        } else if (VerificationEmail.KIND.equals(kind.asText())) {
            verificationMailer.send(json.treeToValue(job, VerificationEmail.class));
        } else {
            throw new IllegalArgumentException("unknown email kind " + kind);
        }
    }
}
