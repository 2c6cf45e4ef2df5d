package io.miaosha.api.testing.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.report.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one exchange must satisfy to agree with the OpenAPI document.
 * <ul>
 * <li>The response always: its status must be documented for the operation, with its content type,
 * body schema (for a problem, its {@code type}) and required headers.</li>
 * <li>The request only when the API accepted it: tests send malformed requests on purpose, and
 * refusing them is right; but a 2xx to a request the document forbids means the document and the
 * API disagree about what is valid.</li>
 * <li>A path or method the document does not have is not an operation: it must be a 4xx
 * problem.</li>
 * </ul>
 */
public final class ContractCheck {

    private static final Set<String> NOT_AN_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");

    private static final String ACCEPT = "validation.request.accept.";

    private final OpenApiInteractionValidator validator;

    public ContractCheck(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /** Every way this exchange disagrees with the document; empty when it agrees. */
    public List<String> violations(Request request, Response response) {
        int status = response.getStatus();
        ValidationReport responseReport = validator.validateResponse(request.getPath(), request.getMethod(), response);
        List<String> violations = new ArrayList<>();
        // An empty segment ("/api/sales//purchase") names no operation, though a template may match it.
        if (request.getPath().contains("//")
                || responseReport.getMessages().stream().anyMatch(m -> NOT_AN_OPERATION.contains(m.getKey()))) {
            // The document cannot describe what is no operation; the answer must still be a refusal.
            String contentType = response.getHeaderValue("Content-Type").orElse("");
            if (status < 400 || status >= 500 || !contentType.startsWith("application/problem+json")) {
                violations.add("not an operation of the document, yet answered " + status + " " + contentType);
            }
            return violations;
        }
        errors(responseReport).forEach(message -> violations.add("response: " + message));
        // Only an accepted request is held to the document: refusing a malformed one is right.
        if (status >= 200 && status < 300) {
            errors(validator.validateRequest(request)).stream()
                    // An answer without a body cannot disappoint an Accept header, well formed or not.
                    .filter(message -> !(status == 204 && message.startsWith(ACCEPT)))
                    .forEach(message -> violations.add("accepted a request the document refuses: " + message));
        }
        return violations;
    }

    private static List<String> errors(ValidationReport report) {
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .map(message -> message.getKey() + ": " + message.getMessage()
                        + message.getNestedMessages().stream().map(ValidationReport.Message::getMessage)
                        .collect(Collectors.joining("; ", message.getNestedMessages().isEmpty() ? "" : " [", message.getNestedMessages().isEmpty() ? "" : "]")))
                .toList();
    }
}
