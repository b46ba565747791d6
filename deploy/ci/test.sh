#!/usr/bin/env bash
# The test command (README "Run the tests", and what .ci/run calls): installs what the tests need when the machine
# lacks it (Java 17, Maven, curl, and Debian's Python packages with which NotebooksITCase runs notebooks/), then runs
# every test of the build: mvn -B verify [extra Maven arguments]. Kafka, Elasticsearch and the Flink cluster jars are
# fetched from Maven Central by the build and started by the tests themselves.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Debian packages the tests need (TestCommandTest checks that these modules cover what NotebooksITCase and the
# notebooks import), and the non-Java Kafka client's (PythonClientITCase runs deploy/kafka/examples/sift_client.py
# with Debian's Avro and Kafka client packages; ShippedJsonITCase ships JSON samples and log lines with kcat).
PYTHON_MODULES=(nbclient ipykernel nbformat pandas matplotlib requests)
PYTHON_PACKAGES=(python3-nbclient python3-ipykernel python3-nbformat python3-pandas python3-matplotlib python3-requests)
CLIENT_MODULES=(avro.io confluent_kafka)
CLIENT_PACKAGES=(python3-avro python3-confluent-kafka)

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v curl >/dev/null || missing+=(curl)
if ! /usr/bin/python3 -c "import $(IFS=,; echo "${PYTHON_MODULES[*]}")" 2>/dev/null; then
  missing+=(python3 "${PYTHON_PACKAGES[@]}")
fi
if ! /usr/bin/python3 -c "import $(IFS=,; echo "${CLIENT_MODULES[*]}")" 2>/dev/null; then
  missing+=(python3 "${CLIENT_PACKAGES[@]}")
fi
command -v kcat >/dev/null || missing+=(kcat)
# RsyslogKafkaITCase ships log lines with Debian's rsyslog (imfile) and its Kafka output (omkafka).
[ -x /usr/sbin/rsyslogd ] || missing+=(rsyslog)
[ -e /usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so ] || missing+=(rsyslog-kafka)
# The gateway's PrometheusAlertmanagerITCase starts Debian's Prometheus, Alertmanager and node exporter itself, on other ports.
[ -x /usr/bin/prometheus ] || missing+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
[ -x /usr/bin/prometheus-node-exporter ] || missing+=(prometheus-node-exporter)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing what the tests need: ${missing[*]}" >&2
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
java -version 2>&1 | sed -n 1p   # sed reads to the end: head would SIGPIPE the command under pipefail
mvn -version 2>&1 | sed -n 1p

# The evaluation tests read ../shared/data beside the checkout; a checkout elsewhere uses the machine's copy.
if [ ! -d ../shared/data ] && [ -z "${SIFT_DATA_DIR:-}" ] && [ -d /work/shared/data ]; then
  export SIFT_DATA_DIR=/work/shared/data
fi

exec mvn -B verify "$@"
