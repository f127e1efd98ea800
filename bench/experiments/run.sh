#!/usr/bin/env bash
# The experiment protocol of issue 10: every method at width 16 against the plain student, the
# full U-Net (width 64) as teacher and upper reference, 3 seeds, on each dataset; the ablation of
# ACW-SKD's switches on sstem-vnc. Hyperparameters are chosen on the validation split only:
#   bash bench/experiments/run.sh --split val [--protocol P] [SET...]    # tuning pass: scores val
#   bash bench/experiments/run.sh [--protocol P] [SET...]                # then the test numbers
# Both passes share the same training runs (the split changes no training: each run folder keeps
# val.json and test.json). SET: coronary40 sstem-vnc brats-mini organs ablation (default: all).
# Options: --protocol quick|medium|full (the sizes and epochs of DATASET.quick.json, DATASET.medium.json or
# DATASET.json; default full; --quick is --protocol quick),
# --split val|test, --threads N (libtorch threads, default: every core), --out DIR (default
# runs/experiments[-quick|-medium]), --seeds N (default 3), --methods LIST.
# Writes docs/results.md (full), docs/results-quick.md or docs/results-medium.md from every comparison finished so far: the
# tables, the commands that made them, the machine (nproc, CPU model, date), after the reading of them in
# bench/experiments/notes[-quick|-medium].md.
# SKD: the command to run (default ./skd, which builds first when a source changed).
# Real data comes from ../shared/data (see its README); a set whose data is absent is skipped with
# a note. brats-mini is arranged by scripts/arrange-brats-mini.sh; organs are generated (skd synth).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=bench/experiments
skd=${SKD:-./skd}
protocol=full; split=test; threads=$(nproc); out=""; seeds=3
methods=supervised,kd,acw-skd,dskd,byot,ps-kd
sets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) protocol=quick; shift ;;
    --protocol) protocol=$2; shift 2 ;;
    --split) split=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) sets+=("$1"); shift ;;
  esac
done
[ ${#sets[@]} -gt 0 ] || sets=(coronary40 sstem-vnc brats-mini organs ablation)
case "$protocol" in
  full) quick="" ;;
  quick|medium) quick=.$protocol ;;
  *) echo "run.sh: --protocol must be quick, medium or full, got $protocol" >&2; exit 2 ;;
esac
out=${out:-runs/experiments${quick:+-$protocol}}
mkdir -p "$out/data" docs
log="$out/commands.log"

# compare SET NAME DATA [skd compare options...]: one comparison, its command appended to the log.
compare() {
  local set=$1 name=$2 data=$3; shift 3
  local args=(compare --data "$data" --config "$here/$set$quick.json" --seeds "$seeds" --width 16 --teacher-width 64
              --score-split "$split" --out "$out/$name" --threads "$threads" "$@")
  echo "./skd ${args[*]}" >> "$log"
  echo "== $name: ./skd ${args[*]}"
  $skd "${args[@]}"
}

data_of() {
  case "$1" in
    coronary40|sstem-vnc) [ -d "../shared/data/$1" ] && echo "../shared/data/$1" ;;
    brats-mini) [ -d ../shared/data/brats-mini ] && bash scripts/arrange-brats-mini.sh "$out/data/brats-mini" >&2 && echo "$out/data/brats-mini" ;;
    organs)
      if [ "$protocol" != quick ]; then $skd synth organs --out "$out/data/organs" --count 20 --size 96 --depth 16 --seed 0 --force >&2
      else $skd synth organs --out "$out/data/organs" --count 8 --size 64 --depth 16 --seed 0 --force >&2; fi
      echo "$out/data/organs" ;;
  esac
}

# The ablation: ACW-SKD with one switch changed at a time, on sstem-vnc (9 classes, similar membranes).
# Each variant is its own comparison folder, so its plain students are trained there again (same
# settings and seeds as ablation-default's, so the same scores up to libtorch's nondeterminism).
ablations=(
  "no-aux aux-head=off"
  "no-frm frm=off aux-head=on class-wise=off"
  "no-class-wise class-wise=off"
  "adversarial adversarial=on"
  "no-warmup warmup=0"
  "aux-mask cw-mask=aux"
  "shared-head frm-head=shared"
)

for set in "${sets[@]}"; do
  if [ "$set" = ablation ]; then
    data=$(data_of sstem-vnc) || { echo "note: ../shared/data/sstem-vnc absent, ablation skipped" >&2; continue; }
    compare sstem-vnc ablation-default "$data" --methods supervised,acw-skd
    for entry in "${ablations[@]}"; do
      read -r name options <<< "$entry"
      opts=(); for o in $options; do opts+=(--option "acw-skd.$o"); done
      compare sstem-vnc "ablation-$name" "$data" --methods supervised,acw-skd "${opts[@]}"
    done
    continue
  fi
  data=$(data_of "$set") || { echo "note: the data of $set is absent, skipped" >&2; continue; }
  compare "$set" "$set" "$data" --methods "$methods"
done

label=""; [ "$protocol" = quick ] && label="quick, reduced"; [ "$protocol" = medium ] && label="medium"
bash "$here/write-results.sh" "$out" "docs/results${quick/./-}.md" "$label" "$here/notes${quick/./-}.md"
