package io.miaosha.api.seating;

import io.miaosha.api.problem.RequestValues;
import io.miaosha.api.purchase.PurchaseResource;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.miaosha.api.account.SessionTokens;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** A seated sale's seats: the layout and live states for drawing the map, and the pick (the hot path). */
@Path("/api/sales/{id}/seats")
@Produces(MediaType.APPLICATION_JSON)
public class SeatPickResource {

    private final SeatPickService seats;
    private final JsonWebToken session;

    public SeatPickResource(SeatPickService seats, JsonWebToken session) {
        this.seats = seats;
        this.session = session;
    }

    @GET
    public Uni<SeatLayoutView> layout(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String saleId) {
        return seats.layout(RequestValues.id("sale id", saleId));
    }

    @GET
    @Path("/map")
    public Uni<SeatMapView> map(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String saleId) {
        return seats.map(RequestValues.id("sale id", saleId));
    }

    @APIResponse(responseCode = "202", description = "Seats held; pay the order (Location) before payBy", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SeatPickReceipt.class)))
    @POST
    @Path("/pick")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> pick(@Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1")) @PathParam("id") String saleId, SeatPickRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(PurchaseResource.ADMISSION_TOKEN_HEADER) String admissionToken) {
        return seats.pick(RequestValues.id("sale id", saleId), Long.parseLong(session.getSubject()), body, idempotencyKey,
                        admissionToken, SessionTokens.emailVerified(session))
                .map(receipt -> Response.accepted(receipt).header("Location", "/api/orders/" + receipt.orderId()).build());
    }
}
