#!/usr/bin/env bash
# What `npm start` and `npm test` run: install whatever is missing, build, then start or test.
#   bash scripts/bootstrap.sh start [vigil recorder options...]
#   bash scripts/bootstrap.sh test  [vitest arguments...]
#   bash scripts/bootstrap.sh install   (dependencies only, for CI)
#   bash scripts/bootstrap.sh build     (dependencies and the build: then `npx vigil ...` works)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages each mode needs, as "command:package"; "-:package" for a package that installs no
# command (libraries, plugins, bindings), which is then looked up in dpkg's database instead.
# The tests' media peers: ffmpeg/ffprobe, and GStreamer's RTSP server run by Debian's python3
# (with GstRtp, from gir1.2-gst-plugins-base-1.0, to decode the RTCP our client sends it).
# The cloud's tests start a PostgreSQL server of Debian's package (its commands are not on PATH),
# Redis and nginx (several cloud instances behind one front), each in a temporary directory.
debian_needs() {
  case "$1" in
    start) echo "ffmpeg:ffmpeg" ;;
    test|install)
      echo "chromium:chromium tmux:tmux ffmpeg:ffmpeg gst-launch-1.0:gstreamer1.0-tools" \
        "-:python3-gi -:gir1.2-gst-rtsp-server-1.0 -:gir1.2-gst-plugins-base-1.0 -:gstreamer1.0-plugins-base -:gstreamer1.0-plugins-good" \
        "-:gstreamer1.0-plugins-bad -:gstreamer1.0-plugins-ugly -:postgresql redis-server:redis-server nginx:nginx"
      ;;
    *) ;;
  esac
}

has_debian_need() {
  local check=$1 package=$2
  if [ "$check" = "-" ]; then
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'
  else
    command -v "$check" >/dev/null 2>&1
  fi
}

install_debian_packages() {
  local missing=()
  for pair in $(debian_needs "$1"); do
    has_debian_need "${pair%%:*}" "${pair#*:}" || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing Debian packages: ${missing[*]} (takes a minute or two the first time)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

install_npm_packages() {
  local stamp=node_modules/.vigil-lock-sha256 want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing npm packages (better-sqlite3 compiles from source: about a minute the first time)"
    npm ci --no-audit --no-fund
    echo "$want" > "$stamp"
  fi
  if ! node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null; then
    say "Building better-sqlite3 for this Node.js"
    npm rebuild better-sqlite3
  fi
}

build() {
  local stamp=dist/.build-stamp
  if [ -f "$stamp" ] && [ -z "$(find src web bench package-lock.json tsconfig.json -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  say "Building the recorder and its web UI"
  npm run --silent build
  touch "$stamp"
}

# `npx vigil` runs what node_modules/.bin/vigil names. npm links the commands of the dependencies
# there, never this package's own, so the bootstrap links it after each build check (again after
# an `npm ci`, which empties node_modules).
link_command() {
  chmod +x dist/src/cli.js
  mkdir -p node_modules/.bin
  ln -sfn ../../dist/src/cli.js node_modules/.bin/vigil
}

case "$mode" in
  install)
    install_debian_packages install
    install_npm_packages
    ;;
  build)
    install_debian_packages start
    install_npm_packages
    build
    link_command
    ;;
  start)
    install_debian_packages start
    install_npm_packages
    build
    link_command
    data=${VIGIL_DATA:-./data}
    if [ ! -f "$data/vigil.db" ]; then
      say "First run: creating a recorder in $data"
      vendor=()
      if [ -z "${VIGIL_DATA:-}" ]; then
        # The demo: this machine plays the vendor too (./vigil-support, vigil support's own default),
        # so the support reset path can be tried end to end (vigil discover reset-request, vigil support sign).
        [ -f vigil-support/vendor-ed25519.pub.pem ] || node dist/src/cli.js support keygen --dir vigil-support
        vendor=(--vendor-key vigil-support/vendor-ed25519.pub.pem)
      fi
      node dist/src/cli.js recorder init --data "$data" "${vendor[@]}"
    fi
    # The recorder in ./data is the demo one: it gets a Vigil camera it activates itself, so there is video to see.
    # A recorder elsewhere (VIGIL_DATA) is a real one, and gets no camera it was not given.
    demo=()
    [ -z "${VIGIL_DATA:-}" ] && demo=(--demo-camera)
    exec node dist/src/cli.js recorder --data "$data" "${demo[@]}" "$@"
    ;;
  test)
    install_debian_packages test
    install_npm_packages
    build
    link_command
    npm run --silent typecheck
    mkdir -p test-results
    status=0
    npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
    # The slowest files, so a suite that grows slow shows where; then a closing line any CI can
    # read, whatever the runner prints above it.
    node -e '
      const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
      const files = r.testResults.map((f) => ({ name: require("path").relative(process.cwd(), f.name), ms: f.endTime - f.startTime }));
      console.log("Slowest test files:");
      for (const f of files.sort((a, b) => b.ms - a.ms).slice(0, 10)) console.log(`${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.name}`);
      console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
    ' || true
    exit $status
    ;;
  *)
    echo "usage: bash scripts/bootstrap.sh start|test|install|build [args...]" >&2
    exit 2
    ;;
esac
