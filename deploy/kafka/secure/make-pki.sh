#!/bin/sh
# The certificates of the secured docker compose variant (docker-compose.secure.yml), made once with the JDK's keytool
# into the volume mounted at PKI_DIR (/pki) and kept there: a CA, the broker's certificate (kafka, localhost,
# 127.0.0.1), the administrator's client certificate (CN=admin, a super user of the broker), a trust store holding the
# CA, and admin.properties (the administrator's client settings for the Kafka tools). PKCS12, all with the password
# KAFKA_PKI_PASSWORD (required, 8 characters or more). Delete the volume to make new ones.
set -eu
dir="${PKI_DIR:-/pki}"
pw="${KAFKA_PKI_PASSWORD:?KAFKA_PKI_PASSWORD is not set}"
days="${PKI_VALIDITY_DAYS:-825}"
if [ "${#pw}" -lt 8 ]; then
  echo "KAFKA_PKI_PASSWORD must have 8 characters or more" >&2
  exit 2
fi
if [ -f "$dir/truststore.p12" ] && [ -f "$dir/admin.properties" ]; then
  echo "certificates already in $dir"
  exit 0
fi
umask 077
cd "$dir"

keytool -genkeypair -alias ca -dname "CN=imdb-stream compose CA" -keyalg EC -groupname secp256r1 -validity "$days" \
  -ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign -keystore ca.p12 -storetype PKCS12 -storepass "$pw"
keytool -exportcert -rfc -alias ca -keystore ca.p12 -storepass "$pw" -file ca.crt
keytool -importcert -noprompt -alias ca -file ca.crt -keystore truststore.p12 -storetype PKCS12 -storepass "$pw"

for name in broker admin; do
  if [ "$name" = broker ]; then
    san="SAN=dns:kafka,dns:localhost,ip:127.0.0.1"
    eku="eku=serverAuth,clientAuth"
  else
    san="SAN=dns:admin"
    eku="eku=clientAuth"
  fi
  keytool -genkeypair -alias "$name" -dname "CN=$name" -keyalg EC -groupname secp256r1 -validity "$days" \
    -keystore "$name.p12" -storetype PKCS12 -storepass "$pw"
  keytool -certreq -alias "$name" -keystore "$name.p12" -storepass "$pw" -file "$name.csr"
  keytool -gencert -rfc -alias ca -keystore ca.p12 -storepass "$pw" -infile "$name.csr" -outfile "$name.crt" \
    -validity "$days" -ext "$san" -ext ku:c=digitalSignature,keyAgreement -ext "$eku"
  keytool -importcert -noprompt -alias ca -file ca.crt -keystore "$name.p12" -storepass "$pw"
  keytool -importcert -noprompt -alias "$name" -file "$name.crt" -keystore "$name.p12" -storepass "$pw"
  rm -f "$name.csr" "$name.crt"
done

cat > admin.properties <<PROPERTIES
security.protocol=SSL
ssl.keystore.location=$dir/admin.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$pw
ssl.key.password=$pw
ssl.truststore.location=$dir/truststore.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$pw
PROPERTIES
# The services read the trust store (the CA only); keys and the administrator's settings stay the broker's.
chmod 644 truststore.p12 ca.crt
echo "certificates made in $dir: $(ls "$dir" | tr '\n' ' ')"
