package io.miaosha.api.openapi;

import io.miaosha.api.problem.Problem;
import io.miaosha.api.problem.ProblemMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents, for every operation, each problem it can answer and its stable {@code type}, from one
 * table ({@link #OPERATIONS}) instead of annotations on every method. Each response's schema pins the
 * {@code type} values allowed for its status, so the contract test fails when an operation answers a
 * problem this table does not list. Runs at build time, when the document is generated.
 *
 * <p>Refusals the framework produces follow from the operation itself and are added by rule: a body
 * means 400 invalid-request and 415; @Produces means 406 for an Accept it cannot meet; an integer path or query parameter
 * is read by RequestValues, which answers 400 invalid-request when it is not a plain number in range;
 * a query parameter means 400 invalid-request (given twice: RepeatedQueryParameters); every /api path
 * may be refused by CanonicalPathFilter with 400 non-canonical-path.
 */
public class ProblemResponsesFilter implements OASFilter {

    static final String PROBLEM_SCHEMA = "Problem";
    static final String BLANK = "about:blank";

    /** Who may call an operation, and so which refusals its caller check answers. */
    enum Caller {
        ANYONE(List.of()),
        USER(List.of(p(401, "not-authenticated"))),
        ADMIN(List.of(p(401, "not-authenticated"), p(403, "forbidden"))),
        /** The scheduled-start function, with the shared arming key (ArmingKeyCheck). */
        ARMING_KEY(List.of(p(401, "arming-key-required"), p(403, "arming-key-invalid"), p(403, "arming-disabled")));

        final List<Refusal> refusals;

        Caller(List<Refusal> refusals) {
            this.refusals = refusals;
        }
    }

    /** One problem an operation may answer: its status and the last part of its type URI (null: about:blank). */
    record Refusal(int status, String slug) {
        String type() {
            return slug == null ? BLANK : Problem.TYPE_BASE + slug;
        }
    }

    record Rule(Caller caller, List<Refusal> refusals) {
    }

    /** "METHOD path" to its caller and the business problems its service throws (read from the code). */
    static final Map<String, Rule> OPERATIONS = Map.ofEntries(
            row("POST /api/auth/signup", Caller.ANYONE, p(409, "email-taken")),
            row("POST /api/auth/login", Caller.ANYONE, p(401, "bad-credentials"), p(429, "too-many-logins")),
            row("POST /api/auth/logout", Caller.USER),
            row("GET /api/me", Caller.USER, p(404, "not-found")),
            // Anyone may confirm; a session sent along must be valid (it is what gets a fresh one back).
            row("POST /api/account/verify-email", Caller.ANYONE, p(401, "not-authenticated"), p(400, "verification-link-invalid"),
                    p(410, "verification-link-expired"), p(410, "verification-link-used")),
            row("POST /api/account/verify-email/resend", Caller.USER, p(404, "not-found"), p(409, "email-already-verified"),
                    p(429, "too-many-verification-emails"), p(503, "email-unavailable")),
            row("GET /api/ping", Caller.ANYONE),
            row("GET /api/sales", Caller.ANYONE),
            row("GET /api/sales/{id}", Caller.ANYONE, p(404, "not-found")),
            row("GET /api/sales/{id}/draw", Caller.ANYONE, p(404, "not-found")),
            row("POST /api/sales/{id}/purchase", Caller.USER, p(403, "sale-not-open"), p(403, "admission-required"),
                    p(403, "email-not-verified"),
                    p(403, "admission-invalid"), p(404, "not-found"), p(409, "sold-out"), p(409, "not-enough-stock"),
                    p(409, "limit-reached"), p(410, "sale-closed"), p(422, "idempotency-key-reused"),
                    p(503, "purchase-not-confirmed"), p(503, "sale-recovering"), p(409, "seats-required")),
            row("GET /api/sales/{id}/seats", Caller.ANYONE, p(404, "not-found"), p(409, "not-seated")),
            row("GET /api/sales/{id}/seats/map", Caller.ANYONE, p(404, "not-found"), p(409, "not-seated")),
            row("POST /api/sales/{id}/seats/pick", Caller.USER, p(403, "sale-not-open"), p(403, "admission-required"),
                    p(403, "email-not-verified"),
                    p(403, "admission-invalid"), p(404, "not-found"), p(409, "sold-out"), p(409, "not-enough-stock"),
                    p(409, "limit-reached"), p(409, "seats-taken"), p(409, "not-enough-seats"), p(409, "not-seated"),
                    p(410, "sale-closed"), p(422, "idempotency-key-reused"), p(503, "purchase-not-confirmed"),
                    p(503, "sale-recovering")),
            row("GET /api/admin/venues", Caller.ADMIN),
            row("POST /api/admin/venues", Caller.ADMIN),
            row("GET /api/admin/venues/{id}", Caller.ADMIN, p(404, "not-found")),
            row("POST /api/admin/venues/{id}/sales", Caller.ADMIN, p(404, "not-found")),
            row("GET /api/orders/{id}", Caller.USER, p(404, "not-found")),
            row("POST /api/orders/{id}/pay", Caller.USER, p(402, "payment-declined"), p(404, "not-found"),
                    p(409, "hold-expired"), p(409, "payment-in-progress"), p(410, "sale-closed"), p(503, "payment-unavailable"),
                    p(503, "sale-recovering")),
            row("GET /api/me/orders", Caller.USER, p(400, "invalid-request")),
            row("GET /api/admin/products", Caller.ADMIN),
            row("POST /api/admin/products", Caller.ADMIN, p(409, "sale-change-rejected")),
            row("PUT /api/admin/products/{id}", Caller.ADMIN, p(404, "not-found"), p(409, "sale-change-rejected")),
            row("POST /api/admin/sales", Caller.ADMIN),
            row("PUT /api/admin/sales/{id}", Caller.ADMIN, p(404, "not-found"), p(409, "sale-change-rejected")),
            row("GET /api/admin/sales/{id}/queue", Caller.ADMIN, p(404, "not-found")),
            row("GET /api/admin/sales/{id}/stats", Caller.ADMIN, p(404, "not-found")),
            row("POST /api/admin/sales/{id}/cancel", Caller.ADMIN, p(404, "not-found"), p(409, "sale-change-rejected")),
            row("POST /api/admin/sales/{id}/arm", Caller.ADMIN, p(404, "not-found")),
            row("PUT /api/admin/users/{id}/role", Caller.ADMIN, p(400, "invalid-request"), p(404, "not-found")),
            row("DELETE /api/admin/users/{id}", Caller.ADMIN, p(400, "invalid-request"), p(404, "not-found")),
            row("GET /api/admin/parked", Caller.ADMIN, p(400, "invalid-request")),
            row("POST /api/admin/parked/replay", Caller.ADMIN, p(400, "invalid-request")),
            row("GET /api/internal/arming/upcoming", Caller.ARMING_KEY, p(400, "invalid-request")),
            row("POST /api/internal/arming/upcoming", Caller.ARMING_KEY, p(400, "invalid-request")),
            row("POST /api/internal/arming/sales/{id}", Caller.ARMING_KEY, p(404, "not-found")));

    /** Operations without @Produces: they answer whatever the Accept header says, so never 406. */
    static final Set<String> WITHOUT_CONTENT_NEGOTIATION = Set.of("GET /api/ping");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(PROBLEM_SCHEMA, problemSchema());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            Rule rule = OPERATIONS.get(method + " " + path);
            if (rule != null) {
                document(operation, refusals(method + " " + path, operation, rule));
            }
            optionalMeansNullable(openAPI, operation);
        }));
    }

    /**
     * In a request body, JSON null for an optional field means "not given" (Jackson reads both as
     * null, and the defaults apply): say so, or the document would refuse what the API accepts.
     */
    private static void optionalMeansNullable(OpenAPI openAPI, Operation operation) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        operation.getRequestBody().getContent().getMediaTypes().values().forEach(media -> {
            Schema body = media.getSchema();
            if (body != null && body.getRef() != null && openAPI.getComponents().getSchemas() != null) {
                body = openAPI.getComponents().getSchemas().get(body.getRef().substring(body.getRef().lastIndexOf('/') + 1));
            }
            if (body == null || body.getProperties() == null) {
                return;
            }
            List<String> required = body.getRequired() == null ? List.of() : body.getRequired();
            body.getProperties().forEach((name, property) -> {
                if (!required.contains(name) && property.getType() != null && !property.getType().contains(Schema.SchemaType.NULL)) {
                    property.addType(Schema.SchemaType.NULL);
                }
            });
        });
    }

    /** The table's problems plus those the framework answers for this operation's shape. */
    static List<Refusal> refusals(String name, Operation operation, Rule rule) {
        List<Refusal> refusals = new ArrayList<>(rule.caller().refusals);
        refusals.addAll(rule.refusals());
        // CanonicalPathFilter, before routing: a trailing slash, dot segment, ';' or needless escape.
        refusals.add(p(400, "non-canonical-path"));
        // ProblemMapper: Redis or MySQL unreachable or failing over, for whatever reads or writes them.
        if (!name.equals("GET /api/ping")) {
            refusals.add(p(503, "store-unavailable"));
        }
        if (operation.getRequestBody() != null) {
            refusals.add(p(400, "invalid-request"));
            refusals.add(p(415, null));
        }
        if (!WITHOUT_CONTENT_NEGOTIATION.contains(name)) {
            refusals.add(p(406, null));
        }
        if (operation.getParameters() != null && operation.getParameters().stream().anyMatch(ProblemResponsesFilter::converted)) {
            refusals.add(p(400, "invalid-request"));
        }
        if (operation.getParameters() != null && operation.getParameters().stream().anyMatch(q -> q.getIn() == Parameter.In.QUERY)) {
            refusals.add(p(400, "invalid-request"));
        }
        return refusals;
    }

    /** Replaces the generated error responses (no body, generic text) with one problem response per status. */
    private static void document(Operation operation, List<Refusal> refusals) {
        Map<String, APIResponse> kept = new LinkedHashMap<>();
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("1") || status.startsWith("2") || status.startsWith("3")) {
                kept.put(status, response);
            }
        });
        Map<Integer, Set<String>> typesByStatus = new TreeMap<>();
        for (Refusal refusal : refusals) {
            typesByStatus.computeIfAbsent(refusal.status(), status -> new TreeSet<>()).add(refusal.type());
        }
        operation.getResponses().setAPIResponses(kept);
        typesByStatus.forEach((status, types) -> {
            APIResponse response = OASFactory.createAPIResponse()
                    .description("Problem of type " + String.join(", ", types))
                    .content(OASFactory.createContent().addMediaType(ProblemMapper.PROBLEM_JSON,
                            OASFactory.createMediaType().schema(problemOf(status, types))));
            if (status == 429) {
                response.addHeader("Retry-After", OASFactory.createHeader().required(true)
                        .description("Seconds until the next attempt is counted")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
            }
            operation.getResponses().addAPIResponse(Integer.toString(status), response);
        });
    }

    /**
     * The Problem schema with {@code type} and {@code status} pinned to this response's values. A copy
     * rather than allOf with a $ref: validators read allOf with additionalProperties poorly, and the
     * copy keeps every response strict about which fields a problem has.
     */
    private static Schema problemOf(int status, Set<String> types) {
        return problemSchema()
                .description(null)
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).enumeration(List.copyOf(types)))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).enumeration(List.of(status)));
    }

    /** RFC 9457 problem details as ProblemMapper writes them; extensions depend on the type. */
    private static Schema problemSchema() {
        Schema error = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .required(List.of("field", "message"))
                .addProperty("field", string("The field (or header, or query parameter) that was wrong"))
                .addProperty("message", string("What was wrong with it"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details. Clients switch on 'type', which is stable.")
                .required(List.of("type", "title", "status", "detail"))
                .addProperty("type", string("https://miaosha.dev/problems/<slug>, or about:blank for plain HTTP refusals"))
                .addProperty("title", string("A short summary of the type"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32"))
                .addProperty("detail", string("What was wrong with this request, in words a shopper or an admin understands"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(error)
                        .description("invalid-request: one entry per field that was wrong"))
                .addProperty("unitsLeft", integer("sold-out, not-enough-stock: units still on sale"))
                .addProperty("unitsHeld", integer("limit-reached: units this shopper already holds"))
                .addProperty("limit", integer("limit-reached: the sale's per-shopper limit"))
                .addProperty("opensAt", string("sale-not-open: when the sale opens").format("date-time"))
                .addProperty("reason", string("payment-declined: the provider's decline code"))
                .addProperty("retryAfterSeconds", integer("too-many-logins, too-many-verification-emails: seconds until the next one is counted again (also Retry-After)"))
                .addProperty("seats", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(takenSeat())
                        .description("seats-taken: the asked seats that someone else holds or bought"))
                .addProperty("seatsFree", integer("not-enough-seats: free seats left in the area"));
    }

    private static Schema takenSeat() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .required(List.of("id", "position", "label"))
                .addProperty("id", integer("The seat's id (as in the sale's layout)"))
                .addProperty("position", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                        .description("Its index in the seat map's states"))
                .addProperty("label", string("Area, row and seat, as on a ticket"));
    }

    private static boolean converted(Parameter parameter) {
        return (parameter.getIn() == Parameter.In.PATH || parameter.getIn() == Parameter.In.QUERY)
                && parameter.getSchema() != null && parameter.getSchema().getType() != null
                && parameter.getSchema().getType().contains(Schema.SchemaType.INTEGER);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    private static Schema integer(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64").description(description);
    }

    static Refusal p(int status, String slug) {
        return new Refusal(status, slug);
    }

    private static Map.Entry<String, Rule> row(String operation, Caller caller, Refusal... refusals) {
        return Map.entry(operation, new Rule(caller, List.of(refusals)));
    }
}
