package io.miaosha.infra.edge;

import software.amazon.awscdk.services.cloudfront.Function;
import software.amazon.awscdk.services.cloudfront.FunctionCode;
import software.amazon.awscdk.services.cloudfront.FunctionRuntime;
import software.constructs.Construct;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** CloudFront Functions whose code lives in {@code src/main/resources/cloudfront/}. */
final class ViewerFunctions {

    private ViewerFunctions() {
    }

    static Function fromResource(Construct scope, String id, String resource) {
        return Function.Builder.create(scope, id)
                .runtime(FunctionRuntime.JS_2_0)
                .code(FunctionCode.fromInline(read("/cloudfront/" + resource)))
                .build();
    }

    private static String read(String resource) {
        try (InputStream in = ViewerFunctions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
