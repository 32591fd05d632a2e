#!/usr/bin/env bash
# Screenshots of a running dashboard with headless Chromium, as docs/images/dashboard.png was made:
#   ./rotnet local --steps 360 --checkpoint-every 90 &      # prints: [local] dashboard: http://127.0.0.1:8090/
#   docs/images/take-screenshot.sh http://127.0.0.1:8090/ docs/images
# ?live=0 draws the page once without the event stream, so the screenshot does not wait on it.
set -euo pipefail
url="${1:-http://127.0.0.1:8090/}"
out="${2:-.}"
size="${SIZE:-1280,2300}"
for theme in light dark; do
  profile="$(mktemp -d)"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size="$size" --virtual-time-budget=5000 \
    --screenshot="$out/dashboard-$theme.png" "${url}?live=0&theme=$theme" > /dev/null 2>&1
  rm -rf "$profile"
  echo "$out/dashboard-$theme.png"
done
