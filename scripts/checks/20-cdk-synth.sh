#!/usr/bin/env bash
# `cdk synth` of the whole infra-cdk app at both sizes, the way an infra engineer runs it: with
# the CLI pinned in infra-cdk/package.json, no AWS account and no network. cdk-nag runs inside
# the synth; an unsuppressed AwsSolutions error fails it. (The assertion tests ran in mvnw install.)
set -euo pipefail
source "$(dirname "$0")/../lib/env.sh"
cd "$ROOT/infra-cdk"

if [ ! -x node_modules/.bin/cdk ]; then
  log "installing the CDK CLI (npm ci in infra-cdk)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

# No account, no version check, no notices, no telemetry, no instance-metadata probing.
export CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=true AWS_EC2_METADATA_DISABLED=true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="$(node -p 'process.versions.node.split(".")[0]')"
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="$JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"

# The origin name and its certificate have no default (CloudFront reaches the ALB over HTTPS only), nor
# has the storefront's address (verification emails link to it); the check synthesizes with example
# values, as a deploy passes real ones.
ORIGIN=(-c originDomain=origin.shop.example
  -c originCertificateArn=arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000
  -c storefrontUrl=https://shop.example)

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for size in dev prod; do
  if ! node_modules/.bin/cdk synth --no-notices --quiet --ci -c size="$size" "${ORIGIN[@]}" -o "$out/$size" >"$out/$size.log" 2>&1; then
    cat "$out/$size.log" >&2
    die "cdk synth -c size=$size failed (see the output above)"
  fi
  for stack in Network Data Services Edge Serverless; do
    [ -s "$out/$size/Miaosha-$size-$stack.template.json" ] || die "cdk synth -c size=$size produced no $stack stack"
    [ -s "$out/$size/AwsSolutions-Miaosha-$size-$stack-NagReport.csv" ] || die "cdk-nag did not run on the $size $stack stack"
  done
  if grep -q '"Non-Compliant"' "$out/$size"/AwsSolutions-*-NagReport.csv; then
    grep -h '"Non-Compliant"' "$out/$size"/AwsSolutions-*-NagReport.csv >&2
    die "cdk-nag found unsuppressed AwsSolutions findings at size $size"
  fi
done
