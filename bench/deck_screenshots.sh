#!/bin/sh
# Screenshots of a report folder's index.html and of every slide of deck.html in headless Chromium
# (Debian's chromium package), at 1280x720 and 1920x1080:  sh bench/deck_screenshots.sh REPORT_DIR OUT_DIR
set -eu
dir=$(cd "$1" && pwd); out=$2; mkdir -p "$out"
slides=$(grep -o '<section class="slide' "$dir/deck.html" | wc -l)
shot() { chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --hide-scrollbars --window-size="$1" --screenshot="$2" "$3" >/dev/null 2>&1; }
for size in 1280,720 1920,1080; do
  tag=$(echo "$size" | tr , x)
  shot "$size" "$out/index-$tag.png" "file://$dir/index.html"
  i=1
  while [ "$i" -le "$slides" ]; do
    shot "$size" "$out/slide$i-$tag.png" "file://$dir/deck.html#$i"
    i=$((i + 1))
  done
done
echo "$out: index and $slides slides at 1280x720 and 1920x1080"
