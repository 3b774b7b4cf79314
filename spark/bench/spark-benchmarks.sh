#!/usr/bin/env bash
# The issue-19 benchmarks of bert4j-spark against the single-machine paths, on local[2] with the
# bundled data. Run on an idle machine from the repository root:
#   NER_MODEL=runs/quickstart/ner/model bash spark/bench/spark-benchmarks.sh
# (NER_MODEL: any NER model directory, e.g. the one `./bert4j quickstart` reports; ENCODER: the
# model directory to embed with, default NER_MODEL, whose encoder `encode` uses.)
# Prints wall times (GNU time) and peak RSS; the training parts print each run's tokens_per_s.
# Java 17 (JAVA_HOME): spark tag / spark encode write through Hadoop 3.3, which fails on Java 24+.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
work="${WORK:-/tmp/bert4j-spark-bench}"
master="${MASTER:-local[2]}"
rm -rf "$work" && mkdir -p "$work"
./bert4j --version >/dev/null 2>&1   # build once, outside the timings
t() { /usr/bin/time -f "  wall %e s, peak RSS %M KB: $1" "${@:2}"; }

echo "== 1. corpus preparation: Nori WordPiece 12k + train/valid shards of the petitions (seed data settings)"
sed -e "s#\.\./data/#$root/examples/data/#" -e "s#^output:.*#output: $work/unused#" -e "s#^mlruns:.*#mlruns: $work/mlruns#" \
    -e 's#^  epochs: 10.*#  epochs: 1\n  max_steps: 1#' -e 's#^  warmup_steps: 100#  warmup_steps: 0#' \
    -e 's#^  batch_size: 64.*#  batch_size: 8#' -e 's#^  eval_every: 0.*#  eval_every: 1000#' \
    examples/configs/seed-pretrain.yaml > "$work/prepare.yaml"
# single machine: Pretrainer's data stage (+ one seed-model step and one validation pass, a few seconds)
t "single-machine prepare (bert4j pretrain, 1 step)" ./bert4j pretrain --config "$work/prepare.yaml" --output "$work/prep-single" >/dev/null
t "spark prepare $master" ./bert4j spark prepare --master "$master" --config "$work/prepare.yaml" --output "$work/prep-spark"
cmp "$work/prep-single/tokenizer/tokenizer.json" "$work/prep-spark/tokenizer/tokenizer.json" && echo "  same tokenizer.json"
for side in train valid; do diff -r "$work/prep-single/shards/$side" "$work/prep-spark/shards/$side" >/dev/null && echo "  same $side shards"; done

echo "== 2. NER tagging: the 21,008 KLUE train sentences"
cut -f2 examples/data/klue-raw-sentences/klue-ner-v1.1_train_sentences.tsv > "$work/sentences.txt"
wc -l < "$work/sentences.txt"
t "bert4j tag" ./bert4j tag --model "${NER_MODEL:?set NER_MODEL to a NER model directory}" --input "$work/sentences.txt" --output "$work/tag.jsonl"
t "bert4j spark tag $master" ./bert4j spark tag --master "$master" --model "$NER_MODEL" --input "$work/sentences.txt" --output "$work/tag-spark"
cat "$work"/tag-spark/part-* | cmp - "$work/tag.jsonl" && echo "  same JSON lines"

echo "== 3. embedding: the same sentences, mean pooling, normalised, batches of 32"
encoder="${ENCODER:-$NER_MODEL}"
t "bert4j encode" ./bert4j encode --model "$encoder" --pooling mean --normalize --input "$work/sentences.txt" \
    --output "$work/encode.jsonl"
t "bert4j spark encode $master" ./bert4j spark encode --master "$master" --model "$encoder" --pooling mean --normalize \
    --input "$work/sentences.txt" --output "$work/encode-spark"
cat "$work"/encode-spark/part-* | cmp - "$work/encode.jsonl" && echo "  same JSON lines"

echo "== 4. training step, seed config: global batch 64 = 2 micro-batches of 32, 30 steps"
sed -e "s#\.\./data/#$root/examples/data/#" -e "s#^output:.*#output: $work/unused#" -e "s#^mlruns:.*#mlruns: $work/mlruns#" \
    -e 's#^  epochs: 10.*#  epochs: 1\n  max_steps: 30#' -e 's#^  batch_size: 64.*#  batch_size: 32#' \
    -e 's#^  grad_accumulation: 1#  grad_accumulation: 2#' -e 's#^  warmup_steps: 100#  warmup_steps: 5#' \
    -e 's#^  eval_every: 0.*#  eval_every: 1000#' -e 's#^  save_every: 50.*#  save_every: 0#' \
    examples/configs/seed-pretrain.yaml > "$work/seed.yaml"
# both runs prepare the data first (reused by the timed part only through tokens_per_s, which counts training)
t "single process (tokens_per_s = training only)" ./bert4j pretrain --config "$work/seed.yaml" --output "$work/seed-single" | grep -E 'tokens_per_s|seconds'
t "spark pretrain $master, 2 partitions" ./bert4j spark pretrain --master "$master" --partitions 2 --config "$work/seed.yaml" \
    --output "$work/seed-spark" | grep -E 'tokens_per_s|seconds'

echo "== 5. NER fine-tuning step, klue-ner.yaml (seed-petitions encoder): global batch 64 = 2 micro-batches of 32, 30 steps"
# 30 steps stay inside the first epoch (50 steps of 64 windows); both runs end with one validation pass over
# the 800 held-out sentences, which "seconds" includes
sed -e "s#\.\./data/#$root/examples/data/#" -e "s#\.\./models/#$root/examples/models/#" -e "s#^  mlruns:.*#  mlruns: $work/mlruns#" \
    -e 's#^  epochs: 20#  epochs: 1\n  max_steps: 30#' -e 's#^  grad_accumulation: 4 .*#  grad_accumulation: 2#' \
    -e 's#^  warmup_steps: 50 .*#  warmup_steps: 5#' \
    examples/configs/klue-ner.yaml > "$work/ner.yaml"
t "single process finetune-ner" ./bert4j finetune-ner --config "$work/ner.yaml" --output "$work/ner-single" \
    | grep -E 'steps|seconds|entity_macro_f1'
t "spark finetune-ner $master, 2 partitions" ./bert4j spark finetune-ner --master "$master" --partitions 2 \
    --config "$work/ner.yaml" --output "$work/ner-spark" | grep -E 'steps|seconds|entity_macro_f1'
