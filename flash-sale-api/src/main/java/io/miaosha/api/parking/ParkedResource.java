package io.miaosha.api.parking;

import io.miaosha.api.account.Role;
import io.miaosha.api.problem.Problems;
import io.miaosha.api.problem.RequestValues;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Admins read the messages the consumers gave up on, with the reason, and send them back to work. */
@Path("/api/admin/parked")
@RolesAllowed(Role.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ParkedResource {

    private final ParkedMessages parked;

    public ParkedResource(ParkedMessages parked) {
        this.parked = parked;
    }

    @GET
    public Uni<Map<String, List<ParkedMessage>>> list(@QueryParam("queue") String queue,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
            @QueryParam("limit") String limit) {
        return parked.list(queues(queue), RequestValues.boundedInt("limit", limit, 50, 1, 500))
                .map(messages -> Map.of("messages", messages));
    }

    // A bare POST like the other admin actions: what to replay is named in the query. Absent filters
    // mean "all"; an empty one (?messageId=) is refused by AmbiguousRequests, so a slip cannot replay everything.
    @POST
    @Path("/replay")
    public Uni<Map<String, Integer>> replay(@QueryParam("queue") String queue, @QueryParam("messageId") String messageId,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000", defaultValue = "100"))
            @QueryParam("limit") String limit) {
        return parked.replay(queues(queue), messageId,
                        RequestValues.boundedInt("limit", limit, 100, 1, 10_000))
                .map(count -> Map.of("replayed", count));
    }

    private static List<String> queues(String queue) {
        if (queue == null) {
            return ParkedMessages.parkedQueues();
        }
        if (!ParkedMessages.parkedQueues().contains(queue)) {
            throw new Problems.InvalidRequest("queue must be one of " + ParkedMessages.parkedQueues() + ".");
        }
        return List.of(queue);
    }
}
