#!/usr/bin/env python3
"""scikit-learn's silhouette recipe on the planted-groups benchmark's feature tables, beside Personae's results.

For each case written by PlantedGroupsBenchmark (results.csv + tables/<case>.csv): mean-impute missing values,
log1p the skewed kinds exactly as Personae does (counts, money, day spans), StandardScaler, then for k = 2..8
KMeans(n_init=10, random_state=0) and silhouette_score (sample_size=3000 above 3,000 rows, random_state=0);
the best k wins; ARI against the planted group. Writes <dir>/comparison.csv and prints a Markdown table.

Usage: /usr/bin/python3 bench/planted_sklearn.py target/planted [case-regex]
(with a regex, only matching cases, written to comparison-<regex-safe>.csv; run parts in parallel and concatenate)
"""
import csv
import os
import re
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import StandardScaler

SKEWED = {"FREQUENCY", "TOTAL_VALUE", "AVERAGE_VALUE", "TENURE_DAYS", "RECENCY_DAYS"}


def load(tables, name):
    with open(os.path.join(tables, name + ".kinds.csv")) as f:
        kinds = {r["feature"]: r["kind"] for r in csv.DictReader(f)}
    with open(os.path.join(tables, name + ".csv")) as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [[float(v) if v != "" else np.nan for v in r] for r in reader]
    data = np.array(rows)
    x, truth = data[:, :-1], data[:, -1].astype(int)
    for j, feature in enumerate(header[:-1]):
        if kinds[feature] in SKEWED:
            x[:, j] = np.log1p(np.maximum(0, x[:, j]))
        col = x[:, j]
        col[np.isnan(col)] = np.nanmean(col) if np.any(~np.isnan(col)) else 0
    return x, truth


def sklearn_recipe(x):
    z = StandardScaler().fit_transform(x)
    best = None
    for k in range(2, 9):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(z)
        sample = 3000 if len(z) > 3000 else None
        s = silhouette_score(z, labels, sample_size=sample, random_state=0)
        if best is None or s > best[0]:
            best = (s, k, labels)
    return best[1], best[2]


def main(directory, only=None):
    tables = os.path.join(directory, "tables")
    with open(os.path.join(directory, "results.csv")) as f:
        results = [r for r in csv.DictReader(f) if only is None or re.search(only, r["case"])]
    out = []
    for r in results:
        x, truth = load(tables, r["case"])
        t0 = time.time()
        k, labels = sklearn_recipe(x)
        r = dict(r, sklearn_k=k, sklearn_ari=round(adjusted_rand_score(truth, labels), 4),
                 sklearn_seconds=round(time.time() - t0, 2))
        out.append(r)
        print(r["case"], "ours k", r["our_k"], "ARI", r["our_ari"], "| sklearn k", k, "ARI", r["sklearn_ari"], file=sys.stderr)
    fields = list(out[0].keys())
    name = "comparison.csv" if only is None else "comparison-" + re.sub(r"[^A-Za-z0-9]+", "_", only) + ".csv"
    with open(os.path.join(directory, name), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(out)
    print("| case | planted k | our k | our ARI | sklearn k | sklearn ARI | oracle ARI | our fit (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in out:
        print(f"| {r['case']} | {r['groups']} | {r['our_k']} | {float(r['our_ari']):.3f} | {r['sklearn_k']} | "
              f"{r['sklearn_ari']:.3f} | {float(r['oracle_ari']):.3f} | {r['fit_seconds']} |")
    print()
    print("| subset | cases | our mean ARI | our k = planted | sklearn mean ARI | sklearn k = planted | oracle mean ARI |")
    print("|---|---|---|---|---|---|---|")
    subsets = [("all", lambda r: True)]
    for sep in sorted({r["separation"] for r in out}, reverse=True):
        subsets.append((f"separation {sep}", lambda r, s=sep: r["separation"] == s))
    for n in sorted({int(r["customers"]) for r in out}):
        subsets.append((f"{n} customers", lambda r, n=n: int(r["customers"]) == n))
    for label, keep in subsets:
        rs = [r for r in out if keep(r)]
        if not rs:
            continue
        print(f"| {label} | {len(rs)} | {np.mean([float(r['our_ari']) for r in rs]):.3f} | "
              f"{sum(int(r['our_k']) == int(r['groups']) for r in rs)}/{len(rs)} | "
              f"{np.mean([r['sklearn_ari'] for r in rs]):.3f} | "
              f"{sum(int(r['sklearn_k']) == int(r['groups']) for r in rs)}/{len(rs)} | "
              f"{np.mean([float(r['oracle_ari']) for r in rs]):.3f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/planted", sys.argv[2] if len(sys.argv) > 2 else None)
