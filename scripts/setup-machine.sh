#!/usr/bin/env bash
# Installs what the tests need from Debian's packages, where it is missing: Chromium for the
# browser tests, rabbitmq-server for the tests against a real broker, and kcat, whose librdkafka
# starts the mock Kafka cluster of test/real/kafka-mock.test.ts. Needs root (or sudo).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${missing[*]} from Debian's packages"
$sudo apt-get update -qq
# The rabbitmq-server package tries to start a service; without systemd that fails harmlessly.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
  command -v rabbitmq-server >/dev/null 2>&1 && command -v kcat >/dev/null 2>&1 && [ -x /usr/bin/chromium ] || exit 1
}
