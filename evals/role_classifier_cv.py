"""Cross-validation of the role classifier (assistant/understanding/classifier.py) on its own examples.

Run: .venv/bin/python -m evals.role_classifier_cv [--folds 5] [--target 0.95] [--l2 3e-4 1e-3 3e-3]

Stratified k folds (every k-th example of each label, so the split is fixed). For each L2 penalty the
out-of-fold probabilities are pooled, and every (P_MIN, MARGIN) grid point is scored: precision over
accepted role predictions (right role / accepted), recall over the role examples (right role
accepted / role examples). Of the points whose precision reaches the target, those within 0.02
of the best recall are kept and the most precise of them is chosen. It prints that point, the
figures at the constants classifier.py uses, and per-role precision and recall there.
The embeddings of the examples are computed once (about half a minute on a laptop).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from assistant.understanding import classifier as C

P_GRID = [round(0.30 + 0.05 * i, 2) for i in range(14)]  # 0.30 .. 0.95
M_GRID = [round(0.05 * i, 2) for i in range(17)]  # 0.00 .. 0.80
NONE = C.CLASSES.index("none")


@dataclass
class Point:
    p_min: float
    margin: float
    precision: float
    recall: float
    accepted: int


def folds_of(labels: list[int], k: int) -> np.ndarray:
    """Fold index per example: the i-th example of each label goes to fold i % k."""
    seen: dict[int, int] = {}
    out = np.zeros(len(labels), dtype=int)
    for i, lab in enumerate(labels):
        out[i] = seen.get(lab, 0) % k
        seen[lab] = seen.get(lab, 0) + 1
    return out


def out_of_fold(vectors: np.ndarray, labels: list[int], k: int, l2: float) -> np.ndarray:
    y = np.array(labels)
    folds = folds_of(labels, k)
    probs = np.zeros((len(labels), len(C.CLASSES)))
    for f in range(k):
        tr, te = folds != f, folds == f
        clf = C.RoleClassifier(*C.train(vectors[tr], y[tr].tolist(), l2=l2))
        probs[te] = clf.probabilities(vectors[te])
    return probs


def score(probs: np.ndarray, labels: np.ndarray, p_min: float, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """(accepted mask, predicted class) under an abstain zone."""
    order = np.argsort(-probs, axis=1, kind="stable")
    pred = order[:, 0]
    top = probs[np.arange(len(pred)), pred]
    second = probs[np.arange(len(pred)), order[:, 1]]
    acc = (pred != NONE) & (top >= p_min) & (top - second >= margin)
    return acc, pred


def grid(probs: np.ndarray, labels: np.ndarray) -> list[Point]:
    roles = labels != NONE
    points = []
    for p in P_GRID:
        for m in M_GRID:
            acc, pred = score(probs, labels, p, m)
            right = acc & (pred == labels)
            n_acc = int(acc.sum())
            points.append(Point(p, m, right.sum() / max(n_acc, 1), right.sum() / roles.sum(), n_acc))
    return points


def choose(points: list[Point], target: float, slack: float = 0.02) -> Point:
    """Among points whose precision reaches the target, those within `slack` of the best recall;
    of these the most precise (then the strictest): a knee that does not sit on the target's edge."""
    ok = [pt for pt in points if pt.precision >= target]
    if not ok:
        return max(points, key=lambda pt: (pt.precision, pt.recall))
    best = max(pt.recall for pt in ok)
    near = [pt for pt in ok if pt.recall >= best - slack]
    return max(near, key=lambda pt: (round(pt.precision, 6), pt.p_min + pt.margin))


def per_role(probs: np.ndarray, labels: np.ndarray, pt: Point) -> list[str]:
    acc, pred = score(probs, labels, pt.p_min, pt.margin)
    lines = []
    for c, name in enumerate(C.CLASSES):
        if c == NONE:
            fired = int((acc & (labels == NONE)).sum())
            lines.append(f"  {name:<20} n={int((labels == c).sum()):4d}  wrongly given a role: {fired}")
            continue
        tp = int((acc & (pred == c) & (labels == c)).sum())
        fp = int((acc & (pred == c) & (labels != c)).sum())
        n = int((labels == c).sum())
        lines.append(f"  {name:<20} n={n:4d}  P {tp / max(tp + fp, 1):.3f}  R {tp / n:.3f}  (tp {tp}, fp {fp})")
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--target", type=float, default=0.95, help="precision the chosen point must reach")
    ap.add_argument("--l2", type=float, nargs="+", default=[C.L2])
    args = ap.parse_args(argv)

    from assistant.knowledge.embeddings import get_embedder

    raw = C._package_file(C._DATA).read_text(encoding="utf-8")
    texts, labels = C.load_examples(raw)
    vectors = get_embedder().embed(texts)
    y = np.array(labels)
    print(f"{len(texts)} examples, {int((y == NONE).sum())} none; {args.folds}-fold, precision target {args.target}")
    for l2 in args.l2:
        probs = out_of_fold(vectors, labels, args.folds, l2)
        points = grid(probs, y)
        pt = choose(points, args.target)
        now = next(p for p in points if (p.p_min, p.margin) == (C.P_MIN, C.MARGIN))
        print(f"l2={l2:g}: argmax accuracy {float((probs.argmax(axis=1) == y).mean()):.3f}")
        print(f"  chosen P_MIN={pt.p_min:.2f} MARGIN={pt.margin:.2f}: P {pt.precision:.3f} R {pt.recall:.3f}")
        print(f"  classifier.py's P_MIN={C.P_MIN:.2f} MARGIN={C.MARGIN:.2f}: P {now.precision:.3f} R {now.recall:.3f}")
        for line in per_role(probs, y, now):
            print(line)


if __name__ == "__main__":
    main()
