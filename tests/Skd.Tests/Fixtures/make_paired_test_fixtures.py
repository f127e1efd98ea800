"""Writes paired_test_reference.json: scipy.stats.ttest_rel and scipy.stats.wilcoxon (defaults:
two-sided, zero_method='wilcox', mode 'auto') on a few paired samples, for PairedTestTests.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_paired_test_fixtures.py
"""
import json
import os

import numpy as np
from scipy import stats

rng = np.random.default_rng(7)
cases = {
    "small_exact": (rng.uniform(0.6, 0.9, 8), None),
    "clear_gain": (rng.uniform(0.6, 0.9, 12), 0.05),
    "large_normal": (rng.uniform(0.5, 0.9, 60), 0.01),
    "with_ties_and_zeros": (np.array([0.7, 0.8, 0.75, 0.9, 0.65, 0.8, 0.7]), None),
}
out = {}
for name, (a, shift) in cases.items():
    if name == "with_ties_and_zeros":
        b = np.array([0.7, 0.85, 0.8, 0.95, 0.6, 0.85, 0.75])
    elif shift is None:
        b = a + rng.normal(0, 0.03, a.size)
    else:
        b = a + shift + rng.normal(0, 0.02, a.size)
    t = stats.ttest_rel(b, a)
    w = stats.wilcoxon(b, a)
    out[name] = {"a": a.tolist(), "b": b.tolist(), "t": float(t.statistic), "t_p": float(t.pvalue),
                 "w": float(w.statistic), "w_p": float(w.pvalue)}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "paired_test_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
