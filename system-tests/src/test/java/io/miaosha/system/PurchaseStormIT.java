package io.miaosha.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.miaosha.testsupport.ServiceProcess;
import io.miaosha.testsupport.SessionTokens;
import io.miaosha.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 2,000 concurrent attempts by 500 shoppers on a sale of 100 with a limit of 2, through the real
 * API, relay, broker and worker: exactly 100 units held, nobody above 2, and exactly those orders
 * in MySQL once the pipeline drains.
 */
class PurchaseStormIT {

    private static final int STOCK = 100;
    private static final int LIMIT = 2;
    private static final int SHOPPERS = 500;
    private static final int ATTEMPTS_EACH = 4;

    @Test
    void stormSellsExactlyTheStockAndEveryOrderReachesMySqlOnce() throws Exception {
        SessionTokens minter = SystemStack.tokens();
        try (TestDatabase db = TestDatabase.connect();
                ServiceProcess api = SystemStack.startApi(SystemStack.API_PORT);
                ServiceProcess worker = SystemStack.startWorker()) {
            long saleId = db.insertLiveSale(STOCK, LIMIT);
            List<Long> shoppers = db.insertShoppers(SHOPPERS);
            PipelineChecks.arm(api.baseUrl(), saleId, minter, db.insertAdmin());
            List<String> attempts = new ArrayList<>(PipelineChecks.attempts(shoppers, ATTEMPTS_EACH, minter));
            Collections.shuffle(attempts);

            PurchaseLoad load = new PurchaseLoad(saleId, api.baseUrl());
            load.run(attempts, 500);

            assertEquals(0, load.lost.get(), "no attempt went unanswered");
            assertEquals(STOCK, load.accepted.size(), "accepted orders");
            assertEquals(STOCK, load.count(202));
            assertEquals(SHOPPERS * ATTEMPTS_EACH - STOCK, load.count(409), "the rest are sold out or over the limit: " + load.statuses);
            assertEquals(0, SystemStack.stockInRedis(saleId));
            Map<String, String> units = SystemStack.unitsPerUser(saleId);
            assertTrue(units.values().stream().allMatch(u -> Integer.parseInt(u) <= LIMIT), "nobody above the limit: " + units);
            assertEquals(STOCK, units.values().stream().mapToInt(Integer::parseInt).sum());

            PipelineChecks.assertEveryOrderOnceInMySql(db, saleId, STOCK, load.accepted);
            Map<Long, Integer> perUser = db.ordersOfSale(saleId).stream().collect(
                    Collectors.groupingBy(TestDatabase.OrderRow::userId, Collectors.summingInt(TestDatabase.OrderRow::quantity)));
            assertTrue(perUser.values().stream().allMatch(u -> u <= LIMIT), "nobody above the limit in MySQL");
        }
    }
}
