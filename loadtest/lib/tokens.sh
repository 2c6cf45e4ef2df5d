# Mints RS256 session tokens with the dev key, the way flash-sale-api's SessionTokens does,
# so a benchmark can act as many shoppers without paying bcrypt for each login.
b64url() { openssl base64 -e -A | tr '+/' '-_' | tr -d '='; }

# mint_token USER_ID KEY_FILE
mint_token() {
  local user=$1 key=$2 now header payload signature
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"https://miaosha.dev","sub":"%s","upn":"bench%s@test.com","groups":["shopper"],"iat":%s,"exp":%s,"jti":"bench-%s-%s"}' \
    "$user" "$user" "$now" "$((now + 86400))" "$user" "$now" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" | b64url)
  printf '%s.%s.%s\n' "$header" "$payload" "$signature"
}
