package io.miaosha.infra.data;

import software.amazon.awscdk.Stack;
import software.constructs.Construct;

/** The stores: Redis for hot sale state, MySQL for the record, RabbitMQ for events, SQS for email. */
public class DataStack extends Stack {

    private final RedisCluster redis;
    private final OrderDatabase database;
    private final MessageBroker broker;
    private final EmailQueue emailQueue;

    public DataStack(Construct scope, String id, DataStackProps props) {
        super(scope, id, props.stack());
        redis = new RedisCluster(this, "Redis", props.network(), props.size().redisNodeType(), props.size().redisShards());
        database = new OrderDatabase(this, "Database", props.network(), props.size());
        broker = new MessageBroker(this, "Broker", props.network(), props.size());
        emailQueue = new EmailQueue(this, "EmailQueue");
    }

    public RedisCluster redis() { return redis; }
    public OrderDatabase database() { return database; }
    public MessageBroker broker() { return broker; }
    public EmailQueue emailQueue() { return emailQueue; }
}
