package io.miaosha.infra;

import io.miaosha.infra.data.DataStack;
import io.miaosha.infra.data.DataStackProps;
import io.miaosha.infra.edge.EdgeStack;
import io.miaosha.infra.edge.EdgeStackProps;
import io.miaosha.infra.network.NetworkStack;
import io.miaosha.infra.network.NetworkStackProps;
import io.miaosha.infra.serverless.ServerlessStack;
import io.miaosha.infra.serverless.ServerlessStackProps;
import io.miaosha.infra.services.ServicesStack;
import io.miaosha.infra.services.ServicesStackProps;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/** The whole topology, one stack per concern, in deployment order. */
public record MiaoshaStacks(NetworkStack network, DataStack data, ServicesStack services, EdgeStack edge,
                            ServerlessStack serverless) {

    public static MiaoshaStacks create(App app, AppSettings settings) {
        // Explicit so that a later CDK default cannot change how the stacks reference each other.
        app.getNode().setContext("@aws-cdk/core:defaultCrossStackReferences", "strong");
        EnvironmentSize size = settings.size();
        String prefix = "Miaosha-" + size.name() + "-";
        StackProps stack = StackProps.builder()
                .env(Environment.builder().account(settings.account()).region(settings.region()).build())
                .build();

        NetworkStack network = new NetworkStack(app, prefix + "Network",
                new NetworkStackProps(stack, size, settings.cloudFrontPrefixList()));
        DataStack data = new DataStack(app, prefix + "Data", new DataStackProps(stack, size, network));
        ServicesStack services = new ServicesStack(app, prefix + "Services", new ServicesStackProps(stack, size,
                network, data, settings.releaseBaseUrl(), settings.releaseVersion(), settings.originCertificateArn(),
                settings.storefrontUrl()));
        EdgeStack edge = new EdgeStack(app, prefix + "Edge", new EdgeStackProps(stack, size, services, settings.originDomain()));
        ServerlessStack serverless = new ServerlessStack(app, prefix + "Serverless", new ServerlessStackProps(stack, size,
                data, services, edge.publicUrl(), settings.functionsAsset(), settings.emailSender()));

        Tags.of(app).add("project", "miaosha");
        Tags.of(app).add("environment", size.name());
        // Every synth runs the AwsSolutions rules; an unsuppressed error fails it.
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new MiaoshaStacks(network, data, services, edge, serverless);
    }
}
