package io.miaosha.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** cdk-nag's AwsSolutions pack runs on every synth: every finding is fixed or suppressed with a reason. */
class NagComplianceTest {

    @Test
    void devHasNoUnsuppressedAwsSolutionsFinding() {
        assertClean(Topology.dev());
    }

    @Test
    void prodHasNoUnsuppressedAwsSolutionsFinding() {
        assertClean(Topology.prod());
    }

    private static List<String> describe(List<SynthesisMessage> findings) {
        return findings.stream().map(f -> f.getId() + ": " + f.getEntry().getData()).toList();
    }

    private static void assertClean(MiaoshaStacks stacks) {
        for (Stack stack : List.of(stacks.network(), stacks.data(), stacks.services(), stacks.edge(), stacks.serverless())) {
            Topology.template(stack);
            Annotations annotations = Annotations.fromStack(stack);
            assertEquals(List.of(), describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))),
                    stack.getStackName() + " errors");
            assertEquals(List.of(), describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))),
                    stack.getStackName() + " warnings");
        }
    }
}
