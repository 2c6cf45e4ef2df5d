package io.miaosha.api.parking;

import io.miaosha.api.account.Role;
import io.miaosha.api.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

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
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return parked.list(queues(queue), limit).map(messages -> Map.of("messages", messages));
    }

    // A bare POST like the other admin actions: what to replay is named in the query.
    @POST
    @Path("/replay")
    public Uni<Map<String, Integer>> replay(@QueryParam("queue") String queue, @QueryParam("messageId") String messageId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(10_000) int limit) {
        return parked.replay(queues(queue), messageId, limit).map(count -> Map.of("replayed", count));
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
