package io.miaosha.api.testing.contract;

import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import java.util.List;

/**
 * Puts {@link ContractFilter} on every {@code @QuarkusTest} of this module (registered in
 * META-INF/services, so no test can forget it). Quarkus runs these callbacks with the test
 * instance, in the class loader that loaded it, so the filter lands on the RestAssured the test
 * uses. After each test, a disagreement seen on any thread fails that test.
 */
public final class ContractCallbacks implements QuarkusTestBeforeEachCallback, QuarkusTestAfterEachCallback {

    private static final ContractFilter FILTER = new ContractFilter(true);

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
        FILTER.drainViolations();
    }

    @Override
    public void afterEach(QuarkusTestMethodContext context) {
        List<String> violations = FILTER.drainViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " exchange(s) disagree with /q/openapi:\n" + String.join("\n", violations));
        }
    }
}
