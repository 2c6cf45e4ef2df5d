package io.miaosha.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        SessionTokens minter = SystemStack.tokens();
        try (TestDatabase db = TestDatabase.connect();
                // The survivor claims only entries idle for 30 s: with the tests' 2 s it claimed the
                // doomed relay's entries while that one still lived, and sometimes had claimed them
                // all before the kill (0 pending: nothing left to prove).
                ServiceProcess survivor = SystemStack.startApi(SystemStack.SECOND_API_PORT,
                        Map.of("miaosha.relay.claim-after", "PT30S"));
                ServiceProcess worker = SystemStack.startWorker()) {
            long saleId = db.insertLiveSale(ATTEMPTS, 1000);
            List<Long> shoppers = db.insertShoppers(ATTEMPTS / 500);
            // The doomed relay publishes to an exchange that does not exist, so the broker never
            // confirms and the entries it reads stay pending in its name until it dies: the test
            // does not depend on catching a healthy relay between read and acknowledgement.
            ServiceProcess doomed = SystemStack.startApi(SystemStack.API_PORT,
                    Map.of("mp.messaging.outgoing.orders.exchange.name", "miaosha.orders.never-declared"));
            PipelineChecks.arm(doomed.baseUrl(), saleId, minter, db.insertAdmin());
            PurchaseLoad load = new PurchaseLoad(saleId, doomed.baseUrl());
            List<String> attempts = PipelineChecks.attempts(shoppers, 500, minter);
            CompletableFuture<Void> buying = CompletableFuture.runAsync(() -> {
                try {
                    load.run(attempts, 64);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            // The doomed relay's own pending entries, not the outbox's: the survivor reads fresh entries too,
            // and its batch in flight made "pending > 0" true for a moment while the doomed one held none.
            await().atMost(Duration.ofSeconds(180))
                    .until(() -> load.accepted.size() >= 3_000 && SystemStack.pendingInOutboxOf(saleId, doomed.pid()) > 0);
            load.retarget(survivor.baseUrl());
            doomed.kill();
            long pending = SystemStack.pendingInOutboxOf(saleId, doomed.pid());
            System.out.printf("relay killed with %d outbox entries pending%n", pending);
            assertTrue(pending > 0, "the killed relay left entries pending for the survivor to claim");
            buying.get();

            assertTrue(load.accepted.size() >= ATTEMPTS - load.lost.get() - 64,
                    "attempts after the crash were served by the survivor: " + load.statuses + ", lost " + load.lost);
            PipelineChecks.assertEveryOrderOnceInMySql(db, saleId, ATTEMPTS, load.accepted);
        }
    }
}
