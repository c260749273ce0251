#!/usr/bin/env bash
# campaign-lens and scikit-learn doing the same work on the same files, as whole commands (wall time of
# the process, imports and file reading included; peak resident memory), in interleaved rounds so that
# this machine's drift hits both sides alike.
#   bash bench/side_by_side.sh [ROUNDS] [WHAT]     WHAT: all (default), segment, logistic, boosting
# CL is the binary (default target/release/campaign-lens, or $CARGO_TARGET_DIR's); files go to BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WHAT=${2:-all}
CL=${CL:-${CARGO_TARGET_DIR:-target}/release/campaign-lens}
DIR=${BENCH_DIR:-/tmp/campaign-lens-bench}
BANK=${BANK:-../shared/data/bank-full.csv}
mkdir -p "$DIR"
[ -f "$DIR/num1m.csv" ] || "$CL" bench make-numeric --rows 1000000 --out "$DIR/num1m.csv"
[ -f "$DIR/num100k.csv" ] || "$CL" bench make-numeric --rows 100000 --out "$DIR/num100k.csv"
[ -f "$DIR/bank16.csv" ] || "$CL" bench make-repeat "$BANK" --times 16 --out "$DIR/bank16.csv"

run() {
    local name=$1
    shift
    if ! /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" >"$DIR/out.txt" 2>"$DIR/err.txt"; then
        echo "$name: failed"; tail -3 "$DIR/err.txt"; return
    fi
    read -r secs kb <"$DIR/time.txt"
    printf "%-46s %8.2f s %6d MB\n" "$name" "$secs" $((kb / 1024))
}

SK=bench
for r in $(seq "$ROUNDS"); do
    echo "# round $r"
    if [ "$WHAT" = all ] || [ "$WHAT" = segment ]; then
        for n in 100k 1m; do
            run "campaign-lens segment num$n" "$CL" segment "$DIR/num$n.csv" --json
            run "scikit-learn KMeans n_init=10 num$n" python3 $SK/sklearn_sweep.py "$DIR/num$n.csv" --drop customer_id
            run "scikit-learn KMeans n_init=auto num$n" python3 $SK/sklearn_sweep.py "$DIR/num$n.csv" --drop customer_id --n-init auto
        done
    fi
    if [ "$WHAT" = all ] || [ "$WHAT" = logistic ]; then
        for n in 100k 1m; do
            run "campaign-lens predict logistic num$n" "$CL" predict "$DIR/num$n.csv" --target responded --positive 1 --model logistic --cv 0 --json
            run "scikit-learn LogisticRegression num$n" python3 $SK/sklearn_logistic.py "$DIR/num$n.csv" --target responded --positive 1 --drop customer_id
        done
        run "campaign-lens predict logistic bank16" "$CL" predict "$DIR/bank16.csv" --target y --positive yes --model logistic --cv 0 --json
        run "scikit-learn LogisticRegression bank16" python3 $SK/sklearn_logistic.py "$DIR/bank16.csv" --target y --positive yes --sep ';'
    fi
    if [ "$WHAT" = all ] || [ "$WHAT" = boosting ]; then
        # one fit (read + split + fit + predict), as scikit-learn's script does; then our default
        # command, which adds 5-fold CV on the training rows and the calibration fitted on it
        run "campaign-lens predict boosting bank16 --cv 0" "$CL" predict "$DIR/bank16.csv" --target y --positive yes --model boosting --cv 0 --json
        run "scikit-learn HistGradientBoosting one-hot bank16" python3 $SK/sklearn_models.py "$DIR/bank16.csv" --target y --positive yes --sep ';' --models hgb
        run "scikit-learn HistGradientBoosting native bank16" python3 $SK/sklearn_models.py "$DIR/bank16.csv" --target y --positive yes --sep ';' --models hgb --native
        run "campaign-lens predict boosting bank16 (CV 5)" "$CL" predict "$DIR/bank16.csv" --target y --positive yes --model boosting --json
    fi
done
