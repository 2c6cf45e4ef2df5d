package io.miaosha.infra.data;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Email jobs from the order-worker to the email function. A job that fails five times moves to
 * the dead-letter queue, where it waits two weeks for a person instead of blocking the batch.
 */
public class EmailQueue extends Construct {

    public static final int MAX_RECEIVES = 5;
    /** The email function's timeout; SQS wants the visibility timeout at six times it. */
    public static final Duration FUNCTION_TIMEOUT = Duration.seconds(30);

    private final Queue queue;
    private final Queue deadLetters;

    public EmailQueue(Construct scope, String id) {
        super(scope, id);
        deadLetters = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        queue = Queue.Builder.create(this, "Jobs")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.seconds(FUNCTION_TIMEOUT.toSeconds().intValue() * 6))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVES).build())
                .build();
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetters() {
        return deadLetters;
    }
}
