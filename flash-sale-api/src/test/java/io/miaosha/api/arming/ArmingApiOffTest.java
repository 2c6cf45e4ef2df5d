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

/** With the arming API turned off, the right key arms nothing either: every call is refused. */
@QuarkusTest
@TestProfile(ArmingApiOffTest.ApiOff.class)
class ArmingApiOffTest {

    public static class ApiOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("miaosha.arming.api-enabled", "false");
        }
    }

    @Inject
    TestSales sales;
    @Inject
    Stores stores;

    @Test
    void theRightKeyIsRefusedAndArmsNothing() {
        Instant now = TestSales.now();
        long soon = sales.create(6, 2, now.plusSeconds(30 * 60), now.plusSeconds(90 * 60), false);

        assertProblem(ArmingResourceTest.withKey(ArmingResourceTest.KEY).post("/api/internal/arming/upcoming?lookaheadMinutes=60").then(),
                403, "arming-disabled");
        assertProblem(ArmingResourceTest.withKey(ArmingResourceTest.KEY).post("/api/internal/arming/sales/" + soon).then(),
                403, "arming-disabled");

        assertEquals(List.of(), stores.keys(soon));
        assertEquals(1, stores.count("SELECT COUNT(*) FROM sales WHERE id = ? AND armed_at IS NULL", soon));
    }
}
