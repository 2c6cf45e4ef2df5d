package io.miaosha.api.arming;

import static io.miaosha.api.testing.ProblemJson.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.miaosha.api.testing.Stores;
import io.miaosha.api.testing.TestSales;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance that was given no arming key refuses every arming call, whatever key it is shown. */
@QuarkusTest
@TestProfile(ArmingWithoutKeyTest.NoKey.class)
class ArmingWithoutKeyTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The profile-specific name: it is what application.properties sets for tests.
            return Map.of("%test.miaosha.arming.key", "", "miaosha.arming.key", "");
        }
    }

    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void everyArmingCallIsRefusedAndArmsNothing() {
        Instant now = TestSales.now();
        long soon = sales.create(6, 2, now.plusSeconds(30 * 60), now.plusSeconds(90 * 60), false);

        for (String key : List.of(ArmingResourceTest.KEY, "", "anything")) {
            assertProblem(ArmingResourceTest.withKey(key).post("/api/internal/arming/upcoming?lookaheadMinutes=60").then(),
                    403, "arming-disabled");
            assertProblem(ArmingResourceTest.withKey(key).get("/api/internal/arming/upcoming?lookaheadMinutes=60").then(),
                    403, "arming-disabled");
            assertProblem(ArmingResourceTest.withKey(key).post("/api/internal/arming/sales/" + soon).then(),
                    403, "arming-disabled");
        }

        assertEquals(List.of(), stores.keys(soon));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND armed_at IS NULL", soon));
    }
}
