package io.miaosha.infra.serverless;

import io.miaosha.infra.EnvironmentSize;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.TreeMap;
import java.util.Map;

/**
 * One function of the functions module. Both functions ship in the same Quarkus Lambda zip, whose
 * handler is its router: it hands each event to the email or scheduled-start handler by the event's
 * shape. Setting {@code QUARKUS_LAMBDA_HANDLER} here would bypass the router (Quarkus reads it at run
 * time), so the scheduler's task inputs would reach a handler that cannot read them. The code is
 * built for Java 21 and runs unchanged on the newest Java runtime.
 *
 * <p>Each function gets its own role that starts empty: unlike the default
 * AWSLambdaBasicExecutionRole (logs on every group), it may write only to its own log group.
 */
public final class QuarkusFunction {

    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    private QuarkusFunction() {
    }

    /** {@code purpose} names the function in its role's description. */
    public static Function create(Construct scope, String id, String purpose, Path asset, EnvironmentSize size,
                                  Duration timeout, Map<String, String> environment) {
        // Sorted: a template must synthesize the same way every time or every deploy shows a diff.
        Map<String, String> env = new TreeMap<>(environment);
        LogGroup logs = LogGroup.Builder.create(scope, id + "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Role role = Role.Builder.create(scope, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + purpose + " function")
                .build();
        logs.grantWrite(role);
        return Function.Builder.create(scope, id)
                .runtime(Runtime.JAVA_25)
                .architecture(Architecture.X86_64)
                .handler(HANDLER)
                .code(Code.fromAsset(asset.toString()))
                .memorySize(size.lambdaMemoryMb())
                .timeout(timeout)
                .environment(env)
                .logGroup(logs)
                .role(role)
                .build();
    }
}
