#!/usr/bin/env bash
# Runs the whole product on this machine, without Docker: DynamoDB Local and ElasticMQ with the
# template's tables and queues, every function from the real function.zip under Lambda's Java
# runtime interface client, the HTTP API on http://127.0.0.1:${PORT:-3000}, the SQS event source.
# Ctrl-C stops everything. SKIP_BUILD=1 skips the build; arguments go to the local stack
# (--port N, --instances N, --db-path DIR). Environment: PORT, ADMIN_TOKEN, CLICK_ID_KEYS,
# LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS, LOCAL_FUNCTION_INSTANCES, and RELAY_* passed to the functions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  mvn -q -DskipTests package
fi
exec java -jar infra/local-runtime/target/local-runtime.jar "$@"
