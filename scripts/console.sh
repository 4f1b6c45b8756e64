#!/usr/bin/env bash
# What the console's tests need, installed when missing, and the console's own checks.
#
#   scripts/console.sh deps      npm ci from the lock file (only when node_modules is missing or older than it)
#   scripts/console.sh browser   Debian's Chromium and a CJK font (no browser download), when missing
#   scripts/console.sh check     lint and format (Biome), the generated client current, the unit tests (Vitest)
#   scripts/console.sh build     the production bundle in console/dist
set -euo pipefail
cd "$(dirname "$0")/../console"

log() { printf 'console: %s\n' "$*" >&2; }

need_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return
    log "error: the console needs Node.js 20 and npm (Debian: apt-get install nodejs npm)"
    exit 1
}

deps() {
    need_node
    if [[ ! -d node_modules || package-lock.json -nt node_modules/.installed ]]; then
        log "npm ci (from package-lock.json)"
        npm ci --no-audit --no-fund --loglevel=error
        touch node_modules/.installed
    fi
}

browser() {
    local missing=()
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    fc-list 2>/dev/null | grep -qiE 'wenquanyi|noto sans cjk|noto serif cjk' || missing+=(fonts-wqy-microhei)
    [[ ${#missing[@]} -eq 0 ]] && return
    log "installing ${missing[*]} from Debian (headless browser tests; Chinese glyphs in screenshots)"
    local sudo=(); [[ $EUID -eq 0 ]] || sudo=(sudo -n)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check() {
    deps
    npx biome check .
    node scripts/check-client.mjs
    npx vitest run
}

build() {
    deps
    npm run build --silent
}

case "${1:-}" in
    deps) deps ;;
    browser) browser ;;
    check) check ;;
    build) build ;;
    *) echo "usage: scripts/console.sh deps|browser|check|build" >&2; exit 2 ;;
esac
