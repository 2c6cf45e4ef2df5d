package io.miaosha.api.draw;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sale's pre-opening draw as anyone may check it; the seed and the entrants only once the sale opened. */
@Schema(description = "A sale's pre-opening draw: the commitment before opening, the seed and the order after")
public record DrawView(
        long saleId,
        @Schema(description = "SHA-256 of the seed's 32 bytes, lowercase hex; published before any entrant's value is computed")
        String commitment,
        @Schema(description = "When the seed is revealed: the sale's opening")
        Instant revealAt,
        @Schema(nullable = true, description = "The seed, 64 lowercase hex characters; null before opening")
        String seed,
        @Schema(nullable = true, description = "Every entrant's ticket id in the published order (ascending value); null before opening")
        List<String> entrants,
        @Schema(description = "How the commitment and the order follow from the seed")
        String function) {
}
