package io.miaosha.functions.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The local scheduler sends the inputs of the deployed schedules, as infra-cdk's ServerlessStackTest
 * pins them in the template: a local run that arms differently from AWS would test something else.
 */
class LocalEventSourceTest {

    @Test
    void theLocalSchedulerSendsTheDeployedSchedulesInputsByteForByte() {
        assertEquals("{\"lookaheadMinutes\":15,\"task\":\"arm-upcoming\"}", LocalEventSource.ARM_UPCOMING);
        assertEquals("{\"task\":\"scale-in\"}", LocalEventSource.SCALE_IN);
    }
}
