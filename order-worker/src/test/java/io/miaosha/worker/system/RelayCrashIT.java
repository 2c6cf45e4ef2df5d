package io.miaosha.worker.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.worker.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of one flash-sale-api instance (its outbox relay with it) while orders flow: the other
 * instance's relay claims the stream entries the dead one had read but not acknowledged, and
 * every order accepted by either instance reaches MySQL exactly once.
 */
class RelayCrashIT {

    private static final int ATTEMPTS = 10_000;

    @Test
    void entriesOfAKilledRelayAreClaimedByTheOtherAndLandOnce() throws Exception {
        SessionTokenMinter minter = SystemStack.tokens();
        try (TestDatabase db = TestDatabase.connect();
                ServiceProcess survivor = SystemStack.startApi(SystemStack.SECOND_API_PORT);
                ServiceProcess worker = SystemStack.startWorker()) {
            long saleId = db.insertLiveSale(ATTEMPTS, 1000);
            List<Long> shoppers = db.insertShoppers(ATTEMPTS / 500);
            ServiceProcess doomed = SystemStack.startApi(SystemStack.API_PORT);
            PipelineChecks.arm(doomed.baseUrl(), saleId, minter);
            PurchaseLoad load = new PurchaseLoad(saleId, doomed.baseUrl());
            List<String> attempts = PipelineChecks.attempts(shoppers, 500, minter);
            CompletableFuture<Void> buying = CompletableFuture.runAsync(() -> {
                try {
                    load.run(attempts, 64);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            await().atMost(Duration.ofSeconds(120)).until(() -> load.accepted.size() >= 3_000);
            load.retarget(survivor.baseUrl());
            doomed.kill();
            System.out.printf("relay killed with %d outbox entries pending%n", SystemStack.pendingInOutbox(saleId));
            buying.get();

            assertTrue(load.accepted.size() >= ATTEMPTS - load.lost.get() - 64,
                    "attempts after the crash were served by the survivor: " + load.statuses + ", lost " + load.lost);
            PipelineChecks.assertEveryOrderOnceInMySql(db, saleId, ATTEMPTS, load.accepted);
        }
    }
}
