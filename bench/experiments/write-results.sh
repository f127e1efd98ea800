#!/usr/bin/env bash
# Collects the comparisons under OUT into one Markdown file: the machine (nproc, CPU model, date),
# each comparison's validation and test tables (results-val.md, results.md as skd compare wrote
# them) and the commands that made them (OUT/commands.log), after the hand-written reading of
# them in NOTES (when given and present). A comparison without a table yet is listed as not run.
#   bash bench/experiments/write-results.sh OUT FILE [LABEL [NOTES]]
set -euo pipefail
out=$1; file=$2; label=${3:-}; notes=${4:-}
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
{
  echo "# Experiment results${label:+ ($label protocol)}"
  echo
  echo "Written by \`bash bench/experiments/write-results.sh\` from \`$out\`."
  echo "Machine: $(nproc) core(s), ${cpu:-unknown CPU}; $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  [ -n "$notes" ] && [ -f "$notes" ] && { cat "$notes"; echo; }
  for dir in "$out"/*/; do
    name=$(basename "$dir")
    [ "$name" = data ] && continue
    echo "## $name"
    echo
    found=""
    for split in val test; do
      if [ "$split" = val ]; then table="$dir/results-val.md"; else table="$dir/results.md"; fi
      [ -f "$table" ] || continue
      found=1
      echo "### scored on the $split split"
      echo
      sed '1d' "$table" | sed '/./,$!d'
      echo
    done
    [ -n "$found" ] || { echo "(not run yet)"; echo; }
    if [ -f "$out/commands.log" ]; then
      echo "Commands:"
      echo
      echo '```'
      grep -F -- "--out $out/$name " "$out/commands.log" | sort -u
      echo '```'
      echo
    fi
  done
} > "$file"
echo "wrote $file"
