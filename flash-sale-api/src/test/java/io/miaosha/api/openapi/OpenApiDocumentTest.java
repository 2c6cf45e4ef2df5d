package io.miaosha.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import io.miaosha.api.testing.contract.ContractCheck;
import io.miaosha.api.testing.contract.LiveOpenApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The document at /q/openapi says what the API answers: success codes, headers, and each problem type. */
@QuarkusTest
class OpenApiDocumentTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String RECEIPT = "{\"orderId\":\"0190a6a0-0000-7000-8000-000000000001\",\"saleId\":1,"
            + "\"status\":\"PENDING_PAYMENT\",\"quantity\":1,\"payBy\":\"2031-01-01T10:05:00Z\"}";

    private LiveOpenApi document;

    @BeforeEach
    void load() {
        document = LiveOpenApi.of(RestAssured.baseURI, RestAssured.port);
    }

    @Test
    void purchaseIsDocumentedAs202WithTheReceiptAndItsLocation() {
        ApiResponse accepted = operation("POST", "/api/sales/{id}/purchase").getResponses().get("202");
        assertNotNull(accepted, "202 documented");
        assertTrue(accepted.getHeaders().get("Location").getRequired(), "Location required");
        assertEquals("#/components/schemas/PurchaseReceipt", accepted.getContent().get("application/json").getSchema().get$ref());
        assertFalse(operation("POST", "/api/sales/{id}/purchase").getResponses().containsKey("200"));
    }

    @Test
    void aSaleSaysWhetherItIsSeatedSoThePageAsksForALayoutOnlyThen() {
        Schema<?> sale = document.model().getComponents().getSchemas().get("SaleView");
        assertEquals("boolean", sale.getProperties().get("seated").getType());
        assertTrue(sale.getRequired().contains("seated"), "seated is always present");
        for (String operation : List.of("GET /api/sales/{id}", "PUT /api/admin/sales/{id}", "POST /api/admin/venues/{id}/sales")) {
            String[] parts = operation.split(" ");
            ApiResponse ok = operation(parts[0], parts[1]).getResponses().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("2")).findFirst().orElseThrow().getValue();
            assertEquals("#/components/schemas/SaleView", ok.getContent().get("application/json").getSchema().get$ref(), operation);
        }
    }

    @Test
    void creationsAreDocumentedAs201WithTheirLocation() {
        for (String path : List.of("/api/auth/signup", "/api/admin/products", "/api/admin/sales")) {
            Operation creation = operation("POST", path);
            ApiResponse created = creation.getResponses().get("201");
            assertNotNull(created, path + " documents 201");
            assertTrue(created.getHeaders().get("Location").getRequired(), path + " Location required");
            assertNotNull(created.getContent().get("application/json").getSchema(), path + " body schema");
            assertFalse(creation.getResponses().containsKey("200"), path + " does not claim 200");
        }
    }

    @Test
    void everyOperationIsInTheProblemTableAndEveryRefusalIsAProblemWithItsTypes() {
        List<String> wrong = new ArrayList<>();
        document.model().getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            if (!ProblemResponsesFilter.OPERATIONS.containsKey(name)) {
                wrong.add(name + " has no row in ProblemResponsesFilter.OPERATIONS");
            }
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    MediaType problem = response.getContent() == null ? null : response.getContent().get(PROBLEM);
                    if (problem == null || pinnedTypes(problem.getSchema()).isEmpty()) {
                        wrong.add(name + " " + status + " is not a problem with its types");
                    }
                }
            });
            if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()
                    && !operation.getResponses().containsKey("401")) {
                wrong.add(name + " needs a session but documents no 401");
            }
        }));
        assertEquals(List.of(), wrong);
    }

    @Test
    void purchaseDocumentsEachOfItsRefusalsByType() {
        Map<String, ApiResponse> responses = operation("POST", "/api/sales/{id}/purchase").getResponses();
        assertEquals(List.of("https://miaosha.dev/problems/limit-reached", "https://miaosha.dev/problems/not-enough-stock",
                "https://miaosha.dev/problems/seats-required", "https://miaosha.dev/problems/sold-out"), pinnedTypes(responses.get("409").getContent().get(PROBLEM).getSchema()));
        assertEquals(List.of("https://miaosha.dev/problems/sale-closed"),
                pinnedTypes(responses.get("410").getContent().get(PROBLEM).getSchema()));
        assertEquals(List.of("https://miaosha.dev/problems/not-authenticated"),
                pinnedTypes(responses.get("401").getContent().get(PROBLEM).getSchema()));
    }

    @Test
    void aDocumentedAnswerPassesTheContractCheck() {
        ContractCheck check = new ContractCheck(document.validator());
        assertEquals(List.of(), check.violations(purchase("{\"quantity\":1}"), SimpleResponse.Builder.status(202)
                .withContentType("application/json").withHeader("Location", "/api/orders/x").withBody(RECEIPT).build()));
        assertEquals(List.of(), check.violations(purchase("{\"quantity\":1}"), problem(409, "sold-out")));
    }

    @Test
    void theContractCheckRefusesWhatTheDocumentDoesNotSay() {
        ContractCheck check = new ContractCheck(document.validator());
        assertFalse(check.violations(purchase("{\"quantity\":1}"), problem(409, "made-up")).isEmpty(), "undocumented type");
        assertFalse(check.violations(purchase("{\"quantity\":1}"), problem(422, "invalid-request")).isEmpty(), "undocumented status");
        assertFalse(check.violations(purchase("{\"quantity\":1}"), SimpleResponse.Builder.status(500)
                .withContentType(PROBLEM).withBody("{\"type\":\"about:blank\",\"title\":\"x\",\"status\":500,\"detail\":\"x\"}")
                .build()).isEmpty(), "500");
        assertFalse(check.violations(purchase("{\"quantity\":1}"), SimpleResponse.Builder.status(202)
                .withContentType("application/json").withBody(RECEIPT).build()).isEmpty(), "202 without Location");
        assertFalse(check.violations(purchase("{\"quantity\":1}"), SimpleResponse.Builder.status(202)
                .withContentType("application/json").withHeader("Location", "/api/orders/x").withBody("{\"orderId\":7}")
                .build()).isEmpty(), "body not a receipt");
        assertFalse(check.violations(purchase("{\"quantity\":\"many\"}"), SimpleResponse.Builder.status(202)
                .withContentType("application/json").withHeader("Location", "/api/orders/x").withBody(RECEIPT)
                .build()).isEmpty(), "accepted a body the document refuses");
        assertFalse(check.violations(SimpleRequest.Builder.get("/api/nothing-here").build(), SimpleResponse.Builder.status(200)
                .withContentType("application/json").withBody("{}").build()).isEmpty(), "answered a path that is not an operation");
    }

    private Operation operation(String method, String path) {
        Operation operation = document.model().getPaths().get(path).readOperationsMap()
                .get(io.swagger.v3.oas.models.PathItem.HttpMethod.valueOf(method));
        assertNotNull(operation, method + " " + path);
        return operation;
    }

    @SuppressWarnings("unchecked")
    private static List<String> pinnedTypes(Schema<?> schema) {
        if (schema == null || schema.getProperties() == null || schema.getProperties().get("type") == null
                || schema.getProperties().get("type").getEnum() == null) {
            return List.of();
        }
        return ((List<Object>) schema.getProperties().get("type").getEnum()).stream().map(Object::toString).toList();
    }

    private static Request purchase(String body) {
        return SimpleRequest.Builder.post("/api/sales/1/purchase").withContentType("application/json")
                .withHeader("Authorization", "Bearer x").withBody(body).build();
    }

    private static SimpleResponse problem(int status, String slug) {
        return SimpleResponse.Builder.status(status).withContentType(PROBLEM)
                .withBody("{\"type\":\"https://miaosha.dev/problems/" + slug + "\",\"title\":\"t\",\"status\":" + status
                        + ",\"detail\":\"d\"}").build();
    }
}
