package io.miaosha.worker.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.retry")
public interface RetryConfig {

    /** Tries of one message (the first delivery included) before it is parked. */
    @WithDefault("6")
    int attempts();

    /** Back-off before the second try; it doubles with each further try. */
    @WithDefault("PT0.5S")
    Duration firstBackOff();

    @WithDefault("PT30S")
    Duration maxBackOff();

    /**
     * How long a payment or expiry whose order row is not in MySQL yet keeps being retried (beyond
     * {@link #attempts()}) before it is parked: long enough for the worker to write the backlog an outage
     * left, so only an event whose order never comes is parked.
     */
    @WithDefault("PT10M")
    Duration orderRowWait();

    /**
     * Longest pause between two tries while a store is unreachable. Outage tries never count towards
     * parking (an RDS failover takes 60-120 s); this bounds how late the work resumes after it.
     */
    @WithDefault("PT5S")
    Duration outageMaxBackOff();

    /**
     * Longest one message's handling may take before it counts as an outage and goes round the retry
     * queue. A store call that never answers (seen after a MariaDB primary came back: a pooled
     * connection's answer lost) would otherwise hold its consumer, and every message behind it, forever.
     * Shorter than the retries of an event whose order row is not written yet (about 15 s), so such a
     * write is tried again before that event gives up.
     */
    @WithDefault("PT10S")
    Duration handlingTimeout();
}
