package io.miaosha.common.outage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** What counts as a store being away (retry later) and what is a failure of the work itself. */
class OutagesTest {

    @Test
    void aRedisClusterFailingOverIsAnOutage() {
        // What the cluster client reports when no node answers (RedisConnectException, not public).
        assertTrue(Outages.isOutage(new VertxException("Failed to connect to all nodes of the cluster")));
        assertTrue(Outages.isOutage(ErrorType.create("CLUSTERDOWN The cluster is down")));
        assertTrue(Outages.isOutage(ErrorType.create("TRYAGAIN Multiple keys request during rehashing of slot")));
        assertTrue(Outages.isOutage(ErrorType.create("READONLY You can't write against a read only replica.")));
        assertTrue(Outages.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory")));
        assertTrue(Outages.isOutage(ErrorType.create("CONNECTION_CLOSED")));
        // The same inside a batch (the purchase script and its WAIT).
        assertTrue(Outages.isOutage(ErrorType.create("ERR [0] CONNECTION_CLOSED")));
        assertTrue(Outages.isOutage(ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException")));
    }

    @Test
    void aLostOrRefusedConnectionIsAnOutageWhereverItIsWrapped() {
        assertTrue(Outages.isOutage(new IllegalStateException("purchase failed", new ConnectException("Connection refused"))));
        assertTrue(Outages.isOutage(new VertxException("Connection is closed", true)));
    }

    @Test
    void aFailureOfTheWorkItselfIsNot() {
        assertFalse(Outages.isOutage(new IllegalStateException("purchase.lua answered [-99]")));
        assertFalse(Outages.isOutage(ErrorType.create("ERR Error running script: attempt to compare nil with number")));
        assertFalse(Outages.isOutage(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value")));
    }
}
