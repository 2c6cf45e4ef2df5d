package io.miaosha.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.mysqlclient.MySQLException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind the API's own checks, a value the strict database refuses (SQLSTATE class 22, or a CHECK
 * constraint) is the request's fault: 400 problem+json, without the server's message (it names schema
 * and columns). Any other database failure stays a 500.
 */
class DatabaseRefusalTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void aValueTheDatabaseRefusesIsABadRequest() {
        for (MySQLException refused : new MySQLException[] {
                new MySQLException("Incorrect datetime value: '0000-00-00' for column `miaosha`.`sales`.`opens_at`", 1292, "22007"),
                new MySQLException("Data too long for column 'sku' at row 1", 1406, "22001"),
                new MySQLException("CONSTRAINT `ck_sales_window` failed for `miaosha`.`sales`", 4025, "23000")}) {
            Response response = mapper.refusedByDatabase(refused);

            assertEquals(400, response.getStatus());
            assertEquals(ProblemMapper.PROBLEM_JSON, response.getMediaType().toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) response.getEntity();
            assertEquals(Problem.TYPE_BASE + "invalid-request", body.get("type"));
            assertFalse(body.get("detail").toString().contains("miaosha"), "no schema names leak");
        }
    }

    @Test
    void anyOtherDatabaseFailureIsStillAServerError() {
        Response response = mapper.refusedByDatabase(new MySQLException("Lock wait timeout exceeded", 1205, "HY000"));

        assertEquals(500, response.getStatus());
    }
}
