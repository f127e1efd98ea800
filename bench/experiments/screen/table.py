"""Screening table: each variant's mean test Dice over seeds, and against the variant `sup` its mean
difference over the seeds both have (paired by seed), how many of those seeds it beat `sup` on, and
the paired t statistic over the images (each image's Dice averaged over the common seeds).

    python3 bench/experiments/screen/table.py RUNS

RUNS holds one folder NAME-sSEED per run, each with the score.json of `skd eval --json`.
Standard library only."""
import collections
import glob
import json
import math
import os
import statistics as st
import sys


def scores(root):
    """{variant: {seed: {image: Dice averaged over its foreground classes}}}"""
    result = collections.defaultdict(dict)
    for path in glob.glob(os.path.join(root, '*', 'score.json')):
        name, seed = os.path.basename(os.path.dirname(path)).rsplit('-s', 1)
        per_image = collections.defaultdict(list)
        for case in json.load(open(path))['cases']:
            if case['class'] != 0 and case['dice'] == case['dice']:
                per_image[case['case']].append(case['dice'])
        result[name][int(seed)] = {image: st.mean(d) for image, d in per_image.items()}
    return result


def main(root):
    runs = scores(root)
    base = runs.get('sup', {})
    for name in sorted(runs):
        seeds = sorted(runs[name])
        means = {s: st.mean(runs[name][s].values()) for s in seeds}
        spread = st.stdev(means.values()) if len(means) > 1 else 0.0
        line = f"{name:16s} seeds {len(seeds)}  Dice {100 * st.mean(means.values()):6.2f} ± {100 * spread:5.2f}"
        common = [s for s in seeds if s in base]
        if name != 'sup' and common:
            diffs = [means[s] - st.mean(base[s].values()) for s in common]
            images = sorted(base[common[0]])
            paired = [st.mean(runs[name][s][i] for s in common) - st.mean(base[s][i] for s in common) for i in images]
            sd = st.stdev(paired)
            t = st.mean(paired) / (sd / math.sqrt(len(paired))) if sd > 0 else 0.0
            line += f"  ΔDice {100 * st.mean(diffs):+6.2f}  better on {sum(d > 0 for d in diffs)}/{len(diffs)} seeds  t(images) {t:+.2f}"
        print(line)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'runs/screen/r')
