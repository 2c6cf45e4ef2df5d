package io.miaosha.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the order-worker while 10,000 orders flow: the broker redelivers what was not
 * acknowledged, the restarted worker writes it, and every order is in MySQL exactly once.
 */
class WorkerCrashIT {

    private static final int ORDERS = 10_000;

    @Test
    void everyOrderLandsOnceAfterTheWorkerIsKilledMidStream() throws Exception {
        SessionTokens minter = SystemStack.tokens();
        try (TestDatabase db = TestDatabase.connect();
                ServiceProcess api = SystemStack.startApi(SystemStack.API_PORT)) {
            long saleId = db.insertLiveSale(ORDERS, 1000);
            List<Long> shoppers = db.insertShoppers(ORDERS / 500);
            PipelineChecks.arm(api.baseUrl(), saleId, minter, db.insertAdmin());
            PurchaseLoad load = new PurchaseLoad(saleId, api.baseUrl());
            List<String> attempts = PipelineChecks.attempts(shoppers, 500, minter);

            ServiceProcess worker = SystemStack.startWorker();
            CompletableFuture<Void> buying = CompletableFuture.runAsync(() -> {
                try {
                    load.run(attempts, 64);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(120)).until(() -> db.orderCount(saleId) >= 1_000);
            worker.kill();
            int writtenBeforeCrash = db.orderCount(saleId);
            try (ServiceProcess restarted = SystemStack.startWorker()) {
                buying.get();
                assertEquals(0, load.lost.get(), "the API answered every attempt");
                assertEquals(ORDERS, load.accepted.size(), "accepted orders: " + load.statuses);
                PipelineChecks.assertEveryOrderOnceInMySql(db, saleId, ORDERS, load.accepted);
                System.out.printf("worker killed after %d of %d orders were written%n", writtenBeforeCrash, ORDERS);
            }
        }
    }
}
