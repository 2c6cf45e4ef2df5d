package io.miaosha.api.arming;

import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.miaosha.api.problem.RequestValues;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Machine-to-machine arming for the scheduled-start function. No session token: the caller proves
 * itself with the shared arming key ({@link ArmingKeyCheck}), checked before anything else is read.
 * The same listing and arming the {@link AutoArmer} runs, on demand and with the caller's lookahead.
 */
@Path("/api/internal/arming")
@Produces(MediaType.APPLICATION_JSON)
// No body anywhere: a bare POST (no Content-Type) must reach the key check, not a 415.
@Consumes(MediaType.WILDCARD)
public class ArmingResource {

    /** A day: the furthest a schedule has reason to look ahead, and a bound on the query's work. */
    static final int MAX_LOOKAHEAD_MINUTES = 1440;

    private final ArmingKeyCheck keys;
    private final SaleArmer armer;

    public ArmingResource(ArmingKeyCheck keys, SaleArmer armer) {
        this.keys = keys;
        this.armer = armer;
    }

    /** The sales that are live or open within the lookahead; arms nothing. */
    @GET
    @Path("/upcoming")
    public Uni<ArmingReport> upcoming(@HeaderParam(ArmingKeyCheck.HEADER) String key,
            @QueryParam("lookaheadMinutes") String lookahead) {
        keys.require(key);
        int minutes = lookaheadMinutes(lookahead);
        return armer.liveAndOpeningWithin(Duration.ofMinutes(minutes)).map(sales -> ArmingReport.of(sales, minutes, false));
    }

    /** Arms the sales that are live or open within the lookahead, and answers which they were. */
    @POST
    @Path("/upcoming")
    public Uni<ArmingReport> armUpcoming(@HeaderParam(ArmingKeyCheck.HEADER) String key,
            @QueryParam("lookaheadMinutes") String lookahead) {
        keys.require(key);
        int minutes = lookaheadMinutes(lookahead);
        return armer.armLiveAndOpeningWithin(Duration.ofMinutes(minutes)).map(sales -> ArmingReport.of(sales, minutes, true));
    }

    @POST
    @Path("/sales/{id}")
    public Uni<ArmingReport.ArmedSale> armSale(@HeaderParam(ArmingKeyCheck.HEADER) String key, @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String saleId) {
        keys.require(key);
        return armer.armById(RequestValues.id("sale id", saleId)).map(sale -> ArmingReport.ArmedSale.of(sale, Instant.now()));
    }

    // Read as text: JAX-RS answers an unconvertible query parameter with a bare 404.
    private static int lookaheadMinutes(String value) {
        String rule = "must be a whole number of minutes from 1 to " + MAX_LOOKAHEAD_MINUTES;
        int minutes;
        try {
            minutes = value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            minutes = 0;
        }
        if (minutes < 1 || minutes > MAX_LOOKAHEAD_MINUTES) {
            throw new Problems.InvalidRequest("lookaheadMinutes " + rule,
                    List.of(Map.of("field", "lookaheadMinutes", "message", rule)));
        }
        return minutes;
    }
}
