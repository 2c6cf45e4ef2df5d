package io.miaosha.api.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.email.VerificationEmail;
import io.miaosha.testsupport.ElasticMqResource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reads the verification jobs the API put on the email queue (ElasticMQ, a real SQS server): the link's
 * token exists nowhere else. Jobs of other recipients are left alone; they return to the queue when
 * their visibility timeout ends.
 */
@ApplicationScoped
public class VerificationInbox {

    private static final Pattern TOKEN = Pattern.compile("#token=([A-Za-z0-9_-]+)$");

    private final SqsAsyncClient sqs;
    private final ObjectMapper json;

    public VerificationInbox(SqsAsyncClient sqs, ObjectMapper json) {
        this.sqs = sqs;
        this.json = json;
    }

    /** Every verification job for this address that arrives within the wait, taken off the queue. */
    public List<VerificationEmail> jobsFor(String recipient, int expected, Duration wait) throws Exception {
        List<VerificationEmail> found = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (found.size() < expected && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(ElasticMqResource.QUEUE_URL).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).visibilityTimeout(1)).get().messages();
            for (Message message : messages) {
                JsonNode job = json.readTree(message.body());
                if (VerificationEmail.KIND.equals(job.path("kind").asText()) && recipient.equals(job.path("recipient").asText())) {
                    found.add(json.treeToValue(job, VerificationEmail.class));
                    sqs.deleteMessage(r -> r.queueUrl(ElasticMqResource.QUEUE_URL).receiptHandle(message.receiptHandle())).get();
                }
            }
        }
        return found;
    }

    /** The token of the one job this address gets next. */
    public String tokenFor(String recipient) throws Exception {
        List<VerificationEmail> jobs = jobsFor(recipient, 1, Duration.ofSeconds(15));
        if (jobs.isEmpty()) {
            throw new AssertionError("no verification email for " + recipient + " reached the queue");
        }
        return token(jobs.get(0).link());
    }

    public static String token(String link) {
        Matcher matcher = TOKEN.matcher(link);
        if (!matcher.find()) {
            throw new AssertionError("the link carries no token: " + link);
        }
        return matcher.group(1);
    }
}
