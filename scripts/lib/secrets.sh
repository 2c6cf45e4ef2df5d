# Fresh secrets for one run of the packaged services. Source it after env.sh.
# A packaged service runs in the production profile and refuses to start on the committed dev key
# pair and default secrets, so every command that starts the jars gives them new ones instead:
#   local_secrets DIR   generates into DIR (mode 700) an RSA key pair for the session tokens and
#                       random admission, lottery and arming secrets; exports the variables the
#                       services read and writes them to DIR/env as well (for other shells and tools):
#     SMALLRYE_JWT_SIGN_KEY_LOCATION    DIR/privateKey.pem  flash-sale-api signs session tokens (and tools mint them)
#     MP_JWT_VERIFY_PUBLICKEY_LOCATION  DIR/publicKey.pem   flash-sale-api and queue-gateway verify them
#     MIAOSHA_ADMISSION_SECRET          queue-gateway signs admission tokens, flash-sale-api verifies them
#     MIAOSHA_LOTTERY_KEY               queue-gateway's lottery draw
#     MIAOSHA_POW_KEY                   queue-gateway signs the join's proof-of-work challenges
#     MIAOSHA_ARMING_KEY                flash-sale-api's arming API and the scheduled-start function
# Nothing is reused between runs: session tokens of an earlier run do not verify in the next one.
#
# Run as a command for docker/compose.yaml, whose containers run as users of their own:
#   bash scripts/lib/secrets.sh run/secrets --containers
# makes the files readable to every local user (this machine only) and writes DIR/compose.env
# (docker compose --env-file run/secrets/compose.env ...).

local_secrets() {
  local dir=$1
  command -v openssl >/dev/null || apt_install openssl
  mkdir -p "$dir" && chmod 700 "$dir"
  (umask 077
   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/privateKey.pem" 2>/dev/null \
     && openssl pkey -in "$dir/privateKey.pem" -pubout -out "$dir/publicKey.pem") \
    || die "openssl could not generate the session key pair in $dir"
  export SMALLRYE_JWT_SIGN_KEY_LOCATION="$dir/privateKey.pem"
  export MP_JWT_VERIFY_PUBLICKEY_LOCATION="$dir/publicKey.pem"
  # Hex: safe inside any shell word or config file the commands write.
  MIAOSHA_ADMISSION_SECRET="$(openssl rand -hex 32)"
  MIAOSHA_LOTTERY_KEY="$(openssl rand -hex 32)"
  MIAOSHA_ARMING_KEY="$(openssl rand -hex 32)"
  MIAOSHA_POW_KEY="$(openssl rand -hex 32)"
  export MIAOSHA_ADMISSION_SECRET MIAOSHA_LOTTERY_KEY MIAOSHA_ARMING_KEY MIAOSHA_POW_KEY
  (umask 077; cat >"$dir/env" <<ENV
export SMALLRYE_JWT_SIGN_KEY_LOCATION=$SMALLRYE_JWT_SIGN_KEY_LOCATION
export MP_JWT_VERIFY_PUBLICKEY_LOCATION=$MP_JWT_VERIFY_PUBLICKEY_LOCATION
export MIAOSHA_ADMISSION_SECRET=$MIAOSHA_ADMISSION_SECRET
export MIAOSHA_LOTTERY_KEY=$MIAOSHA_LOTTERY_KEY
export MIAOSHA_ARMING_KEY=$MIAOSHA_ARMING_KEY
export MIAOSHA_POW_KEY=$MIAOSHA_POW_KEY
ENV
  )
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  die() { printf '[miaosha] %s\n' "$*" >&2; exit 1; }
  apt_install() { die "openssl is missing: apt-get install openssl"; }
  [ $# -ge 1 ] || die "usage: bash scripts/lib/secrets.sh DIR [--containers]"
  local_secrets "$1"
  if [ "${2:-}" = "--containers" ]; then
    chmod 0755 "$1" && chmod 0644 "$1"/*.pem
    (umask 077; printf 'MIAOSHA_ADMISSION_SECRET=%s\nMIAOSHA_LOTTERY_KEY=%s\nMIAOSHA_ARMING_KEY=%s\nMIAOSHA_POW_KEY=%s\nMIAOSHA_SECRETS_DIR=%s\n' \
      "$MIAOSHA_ADMISSION_SECRET" "$MIAOSHA_LOTTERY_KEY" "$MIAOSHA_ARMING_KEY" "$MIAOSHA_POW_KEY" "$(cd "$1" && pwd)" >"$1/compose.env")
  fi
  printf '[miaosha] fresh secrets in %s\n' "$1" >&2
fi
