package io.miaosha.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * An instant is an ISO-8601 text ("2031-01-01T10:00:00Z"), as the OpenAPI document says: Jackson
 * would also take 1700000000 (seconds? milliseconds?) and 1.7E9, so a client sending a number would
 * get a sale opening at a time it may not have meant.
 */
@Singleton
public class TextualInstants implements ObjectMapperCustomizer {

    /** Last, after the customizer that registers the Java time module: the later module wins for Instant. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("textual-instants").addDeserializer(Instant.class, new TextOnly()));
    }

    /** The text is read as the Java time module reads it. */
    static final class TextOnly extends StdDeserializer<Instant> {

        TextOnly() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser.currentToken(), parser,
                        "an instant is an ISO-8601 text such as \"2031-01-01T10:00:00Z\", not a number");
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}
