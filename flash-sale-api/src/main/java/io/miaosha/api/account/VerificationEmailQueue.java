package io.miaosha.api.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.email.VerificationEmail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** Hands verification emails to the SQS email queue; the email Lambda renders and sends them. */
@ApplicationScoped
public class VerificationEmailQueue {

    private final SqsAsyncClient sqs;
    private final ObjectMapper json;
    private final EmailQueueConfig config;

    public VerificationEmailQueue(SqsAsyncClient sqs, ObjectMapper json, EmailQueueConfig config) {
        this.sqs = sqs;
        this.json = json;
        this.config = config;
    }

    public Uni<Void> queue(VerificationEmail email) {
        String body;
        try {
            body = json.writeValueAsString(email);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Uni.createFrom().completionStage(() -> sqs.sendMessage(request -> request
                        .queueUrl(config.queueUrl())
                        .messageBody(body)))
                .replaceWithVoid();
    }
}
