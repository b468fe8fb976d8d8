"""The learned role classifier (assistant/understanding/classifier.py): its data, its training, its
abstain zone and its cache. The paraphrases below are our own and are not in role_examples.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.domain import ROLE_IDS, UnderstandingContext, Utterance
from assistant.understanding import BuiltinUnderstanding
from assistant.understanding import classifier as C

ROLE_PARAPHRASES = [
    ("X keeps the servers and the network running smoothly for us", "technical_lead"),
    ("X will hook the new app up to our stock database", "technical_lead"),
    ("x is sorting out the data transfer from the old platform", "technical_lead"),
    ("X runs the sessions that teach the nurses the new system", "training_lead"),
    ("x is gonna teach all the drivers how the app works", "training_lead"),
    ("x sends round a progress email every friday", "communications_lead"),
    ("X hosts a quick call with all the site leads every Monday", "communications_lead"),
    ("X goes through the usage figures every month and chases the stores that lag", "metrics_owner"),
    ("X watches the adoption stats and raises it if they fall", "metrics_owner"),
    ("X is the director who is backing this at the top", "executive_sponsor"),
    ("X is the one the shareholders will grill if it fails", "accountable_owner"),
    ("X owns the outcome and takes the final decisions", "accountable_owner"),
    ("X keeps the project plan and chases every team for their actions", "project_manager"),
]

NO_ROLE = [
    "X is the head of procurement",  # a title alone
    "X is an accountant in the Bristol office",
    "X will sit in on the Tuesday meeting",  # attending
    "X will be consulted on the warehouse layout",
    "X will be trained with the second group",  # receiving training
    "X pulls the figures together for the COO",  # compiling for someone else
    "X has just come back from holiday",
    "X is off on leave for most of July",
    "X is your contact for parking passes",
    "X booked the big room for the workshops",
    "X likes the look of the new app",
    "X is not running the training",
]


def _examples() -> dict[str, list[str]]:
    raw = C._package_file(C._DATA).read_text(encoding="utf-8")
    data: dict[str, list[str]] = yaml.safe_load(raw)
    return data


@pytest.fixture(scope="module")
def clf() -> C.RoleClassifier:
    return C.classifier()


# ---- the data ----


def test_examples_use_known_labels_and_the_x_convention() -> None:
    data = _examples()
    assert set(data) == set(C.CLASSES)
    texts, labels = C.load_examples(C._package_file(C._DATA).read_text(encoding="utf-8"))
    assert len(texts) == len(labels) >= 1200
    assert all(0 <= lab < len(C.CLASSES) for lab in labels)
    assert len(data["none"]) * 3 >= len(texts), "none must be at least a third of the examples"
    assert all(len(data[r]) >= 100 for r in ROLE_IDS)
    assert all(re.search(r"\bX\b", t, re.IGNORECASE) for t in texts), "every example is about X"
    assert len({t.lower() for t in texts}) == len(texts), "no duplicates"


def test_test_sentences_are_not_training_examples() -> None:
    seen = {t.lower() for ex in _examples().values() for t in ex}
    assert not [s for s, _ in ROLE_PARAPHRASES if s.lower() in seen]
    assert not [s for s in NO_ROLE if s.lower() in seen]


def test_an_unknown_label_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        C.load_examples("boss:\n  - X is the boss\n")


def test_the_shipped_cache_matches_the_examples() -> None:
    """A stale role_examples.npz would make every fresh process retrain at start."""
    raw = C._package_file(C._DATA).read_text(encoding="utf-8")
    with np.load(C._package_file(C._CACHE)) as npz:
        assert str(npz["digest"]) == C._digest(raw)
        assert npz["weights"].shape == (384, len(C.CLASSES))


# ---- training ----


def _toy(seed: int = 0) -> tuple[np.ndarray, list[int]]:
    """Unit vectors in clusters, one per class, like sentence embeddings of distinct labels."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(C.CLASSES), 32))
    labels = [i % len(C.CLASSES) for i in range(160)]
    x = centres[labels] + 0.3 * rng.normal(size=(160, 32))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), labels


def test_training_is_deterministic_and_fits() -> None:
    x, labels = _toy()
    w1, b1 = C.train(x, labels)
    w2, b2 = C.train(x, labels)
    assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    probs = C.RoleClassifier(w1, b1).probabilities(x)
    assert (probs.argmax(axis=1) == np.array(labels)).mean() == 1.0
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_more_regularisation_gives_flatter_probabilities() -> None:
    x, labels = _toy()
    sharp = C.RoleClassifier(*C.train(x, labels, l2=1e-4)).probabilities(x).max(axis=1).mean()
    flat = C.RoleClassifier(*C.train(x, labels, l2=1.0)).probabilities(x).max(axis=1).mean()
    assert flat < sharp


# ---- behaviour of the shipped model ----


@pytest.mark.parametrize(("text", "role"), ROLE_PARAPHRASES)
def test_unseen_paraphrases_of_the_work_get_their_role(clf: C.RoleClassifier, text: str, role: str) -> None:
    (p,) = clf.predict_many([text])
    assert clf.accept(p) == role, p


@pytest.mark.parametrize("text", NO_ROLE)
def test_clauses_that_give_no_role_abstain(clf: C.RoleClassifier, text: str) -> None:
    (p,) = clf.predict_many([text])
    assert clf.accept(p) is None, p


def test_accept_needs_probability_and_margin(clf: C.RoleClassifier) -> None:
    assert clf.accept(C.Prediction("training_lead", C.MARGIN, C.P_MIN)) == "training_lead"
    assert clf.accept(C.Prediction("training_lead", C.MARGIN - 0.01, 0.99)) is None
    assert clf.accept(C.Prediction("training_lead", 0.99, C.P_MIN - 0.01)) is None
    assert clf.accept(C.Prediction("none", 0.99, 0.99)) is None
    assert clf.predict_many([]) == []


def test_the_engine_uses_it_where_no_rule_applies() -> None:
    text = "Priya Nair will hook the new app up to our stock database."
    utt = Utterance(text=text, speaker="Ana Lopes", side="client", turn_id="t1", item="roles")
    ctx = UnderstandingContext(stakeholders=["Ana Lopes"])
    found = BuiltinUnderstanding().understand(utt, ctx).assignments
    assert [(a.person, a.role, a.rule) for a in found] == [("Priya Nair", "technical_lead", "classifier")]
    assert not BuiltinUnderstanding(use_classifier=False).understand(utt, ctx).assignments


# ---- the cache ----


def _write_yaml(path: Path, extra: str = "") -> None:
    path.write_text(
        "technical_lead:\n  - X owns the integrations\n  - X runs the servers\n"
        "training_lead:\n  - X trains the staff\n  - X runs the workshops\n"
        f"none:\n  - X is on holiday\n  - X is the CFO\n{extra}",
        encoding="utf-8",
    )


def test_a_stale_cache_is_retrained_and_rewritten(tmp_path: Path) -> None:
    data, cache = tmp_path / "ex.yaml", tmp_path / "ex.npz"
    _write_yaml(data)
    first = C.build(data, cache)
    with np.load(cache) as npz:
        digest1 = str(npz["digest"])
        assert np.array_equal(npz["weights"], first.weights)
    _write_yaml(data, "  - X joined last week\n")  # the examples change: the cache is stale
    second = C.build(data, cache)
    with np.load(cache) as npz:
        assert str(npz["digest"]) != digest1
        assert np.array_equal(npz["weights"], second.weights)
    assert not np.array_equal(first.weights, second.weights)
    assert not list(tmp_path.glob("*.tmp"))


def test_a_fresh_cache_is_used_without_embedding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, cache = tmp_path / "ex.yaml", tmp_path / "ex.npz"
    _write_yaml(data)
    trained = C.build(data, cache)

    def no_embedding() -> None:
        raise AssertionError("a matching cache must not retrain")

    monkeypatch.setattr("assistant.knowledge.embeddings.get_embedder", no_embedding)
    loaded = C.build(data, cache)
    assert np.array_equal(loaded.weights, trained.weights) and np.array_equal(loaded.bias, trained.bias)


def test_a_corrupt_cache_is_retrained(tmp_path: Path) -> None:
    data, cache = tmp_path / "ex.yaml", tmp_path / "ex.npz"
    _write_yaml(data)
    cache.write_bytes(b"not a zip file")
    clf = C.build(data, cache)
    assert clf.weights.shape == (384, len(C.CLASSES))
    with np.load(cache) as npz:
        assert str(npz["digest"]) == C._digest(data.read_text(encoding="utf-8"))
