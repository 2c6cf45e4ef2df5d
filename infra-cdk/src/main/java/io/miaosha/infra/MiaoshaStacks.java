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

        NetworkStack network = new NetworkStack(app, prefix + "Network", NetworkStackProps.builder()
                .stack(stack).size(size).cloudFrontPrefixList(settings.cloudFrontPrefixList()).build());
        DataStack data = new DataStack(app, prefix + "Data", DataStackProps.builder()
                .stack(stack).size(size).network(network).build());
        ServicesStack services = new ServicesStack(app, prefix + "Services", ServicesStackProps.builder()
                .stack(stack).size(size).network(network).data(data)
                .release(settings.releaseBaseUrl(), settings.releaseVersion()).build());
        EdgeStack edge = new EdgeStack(app, prefix + "Edge", EdgeStackProps.builder()
                .stack(stack).size(size).services(services).build());
        ServerlessStack serverless = new ServerlessStack(app, prefix + "Serverless", ServerlessStackProps.builder()
                .stack(stack).size(size).data(data).services(services).apiUrl(edge.publicUrl())
                .functionsAsset(settings.functionsAsset()).emailSender(settings.emailSender()).build());

        Tags.of(app).add("project", "miaosha");
        Tags.of(app).add("environment", size.name());
        // Every synth runs the AwsSolutions rules; an unsuppressed error fails it.
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new MiaoshaStacks(network, data, services, edge, serverless);
    }
}
