package io.miaosha.api.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "miaosha.email")
public interface EmailQueueConfig {

    /** The SQS queue the email Lambda is triggered by (ElasticMQ locally), the order-worker's too. */
    @WithDefault("http://127.0.0.1:9324/000000000000/miaosha-email")
    String queueUrl();
}
