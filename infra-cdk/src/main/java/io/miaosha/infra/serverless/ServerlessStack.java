package io.miaosha.infra.serverless;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import io.miaosha.infra.EnvironmentSize;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The two Lambda functions of the functions module. The email function drains the SQS email
 * queue and reports failed messages one by one, so one bad address never re-sends a whole batch;
 * it sends through the region's SES SMTP endpoint with the credentials in {@code SmtpCredentials}.
 * The scheduled-start function runs on EventBridge Scheduler: every minute it arms the sales that
 * open soon (scaling the hot group up first), and every quarter hour it lets the group shrink.
 * Each function may do exactly that and nothing else.
 */
public class ServerlessStack extends Stack {

    /** How far ahead a sale is armed: enough for new hot instances to boot and pass health checks. */
    public static final int ARM_LOOKAHEAD_MINUTES = 15;

    /** Hot instances a sale starts with (capped at the group's maximum); the group's policies add more under load. */
    public static final int OPEN_INSTANCES = 6;

    /** SES's SMTP interface: STARTTLS on 587 (Lambda may not send on port 25). */
    public static final String SMTP_PORT = "587";

    private final Function email;
    private final Secret smtpCredentials;
    private final Function scheduledStart;
    private final List<Schedule> schedules = new java.util.ArrayList<>();

    public ServerlessStack(Construct scope, String id, ServerlessStackProps props) {
        super(scope, id, props.stack());
        // SES SMTP credentials are derived from an IAM user's access key, which CloudFormation cannot
        // do: the stack creates the secret with a placeholder and an operator puts the real ones in
        // (README, Deploy to AWS). The function reads it at cold start rather than through a {{resolve:...}} reference
        // because a dynamic reference is resolved only when the function itself is updated (the
        // credentials put in after the first deploy would never arrive) and would leave the password
        // in clear text in the function's configuration.
        smtpCredentials = Secret.Builder.create(this, "SmtpCredentials")
                .description("SES SMTP credentials of the email function, {\"username\":...,\"password\":...}; put in by hand")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"replace-with-the-ses-smtp-username\"}")
                        .generateStringKey("password")
                        .excludePunctuation(true)
                        .build())
                .build();
        // Environment names here and below as functions/src/main/resources/application.properties reads them (a test checks).
        email = QuarkusFunction.create(this, "EmailFunction", "email", props.functionsAsset(), props.size(),
                Duration.seconds(30), Map.of(
                        "MIAOSHA_MAIL_FROM", "no-reply@" + senderDomain(props.emailSender()),
                        "MIAOSHA_SMTP_HOST", "email-smtp." + getRegion() + ".amazonaws.com",
                        "MIAOSHA_SMTP_PORT", SMTP_PORT,
                        "MIAOSHA_SMTP_START_TLS", "REQUIRED",
                        "MIAOSHA_SMTP_CREDENTIALS_SECRET_ARN", smtpCredentials.getSecretArn()));
        email.addEventSource(SqsEventSource.Builder.create(props.data().emailQueue().queue())
                .batchSize(10)
                .maxBatchingWindow(Duration.seconds(5))
                .reportBatchItemFailures(true)
                .build());
        // SMTP authenticates with the credentials, not the role: the role needs no ses:* action.
        smtpCredentials.grantRead(email);
        CfnOutput.Builder.create(this, "SmtpCredentialsSecretArn").value(smtpCredentials.getSecretArn())
                .description("Put the SES SMTP credentials here (infra-cdk/README.md, Deploy to AWS)").build();
        CfnOutput.Builder.create(this, "EmailFunctionName").value(email.getFunctionName()).build();

        EnvironmentSize.Capacity hot = props.size().hot();
        scheduledStart = QuarkusFunction.create(this, "ScheduledStartFunction", "scheduled-start",
                props.functionsAsset(), props.size(), Duration.seconds(60), Map.of(
                        "MIAOSHA_SCALING_MODE", "aws",
                        "MIAOSHA_HOT_GROUP_NAME", props.services().hotGroup().getAutoScalingGroupName(),
                        "MIAOSHA_HOT_OPEN_INSTANCES", Integer.toString(Math.min(OPEN_INSTANCES, hot.max())),
                        "MIAOSHA_HOT_IDLE_INSTANCES", Integer.toString(hot.min()),
                        "MIAOSHA_API_URL", props.apiUrl(),
                        "MIAOSHA_ARMING_KEY_SECRET_ARN", props.services().armingKey().getSecretArn()));
        scheduledStart.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("autoscaling:SetDesiredCapacity", "autoscaling:UpdateAutoScalingGroup"))
                .resources(List.of(props.services().hotGroup().getAutoScalingGroupArn()))
                .build());
        props.services().armingKey().grantRead(scheduledStart);

        schedule("ArmUpcomingSales", ScheduleExpression.rate(Duration.minutes(1)),
                Map.of("task", "arm-upcoming", "lookaheadMinutes", ARM_LOOKAHEAD_MINUTES));
        schedule("ScaleInAfterSales", ScheduleExpression.rate(Duration.minutes(15)),
                Map.of("task", "scale-in"));
        suppressFindings();
    }

    private void schedule(String id, ScheduleExpression when, Map<String, Object> input) {
        Schedule schedule = Schedule.Builder.create(this, id)
                .schedule(when)
                .description("scheduled-start: " + input.get("task"))
                .target(LambdaInvoke.Builder.create(scheduledStart)
                        // Sorted keys: Map.of iterates in a per-JVM random order, and a template
                        // must synthesize the same way every time or every deploy shows a diff.
                        .input(ScheduleTargetInput.fromObject(new java.util.TreeMap<>(input)))
                        // A missed minute is covered by the next run; retrying stale runs only piles up.
                        .retryAttempts(0)
                        .maxEventAge(Duration.minutes(1))
                        .build())
                .build();
        schedules.add(schedule);
    }

    private static String senderDomain(String identity) {
        return identity.contains("@") ? identity.substring(identity.indexOf('@') + 1) : identity;
    }

    private void suppressFindings() {
        NagSuppressions.addResourceSuppressions(smtpCredentials, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("SES SMTP credentials derive from an IAM user's access key, which Secrets Manager cannot rotate; "
                        + "they are rotated by hand (README), and the email function reads them at cold start")
                .build()));
        NagSuppressions.addStackSuppressions(this, List.of(
                NagPackSuppression.builder().id("AwsSolutions-IAM5")
                        .reason("The scheduler's role may invoke the one scheduled-start function and its versions (ARN:*)")
                        .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::<ScheduledStartFunction\\w+\\.Arn>:\\*$/").build()))
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-IAM5")
                        .reason("A group's ARN embeds an id known only after creation; the group name pins the one hot group")
                        .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::arn:.*:autoScalingGroup:\\*:autoScalingGroupName\\/.*HotApiGroup\\w+>?$/").build()))
                        .build()));
    }

    public Function email() { return email; }
    public Secret smtpCredentials() { return smtpCredentials; }
    public Function scheduledStart() { return scheduledStart; }
}
