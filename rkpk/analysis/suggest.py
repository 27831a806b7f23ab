"""Suggested strategic goals for unit indicators: offline, no model download.

How a suggestion is scored
--------------------------
1. Text normalisation: lower case, words of letters and digits, Indonesian stemming with
   PySastrawi (each distinct word is stemmed once and cached: stemming is the slow part),
   Indonesian function words and measuring words ("persentase", "jumlah"…) dropped, and
   so are the words present in most of the goals (`common_words`: "meningkatnya
   kualitas…", the organisation's own name) — stop words that come from the data.
2. Each strategic goal gets a *profile*: its text and the names of its ministry
   indicators. The unit indicators confirmed for it (in earlier years and in this one:
   each confirmation counts at once) are its examples.
3. Two TF-IDF spaces are fitted on the profiles: stemmed words (uni- and bigrams) and
   character n-grams of the stemmed words (they catch compounds and spelling variants,
   e.g. "keprotokolan" / "protokoler"). An indicator's text is its name plus its unit
   goal's text.
4. Score = cosine similarity to the goal profile; with confirmed examples it is blended
   with the similarity to the nearest confirmed example of that goal (a nearest-neighbour
   vote; a goal without examples keeps its profile score, so learning never sinks it),
   an indicator whose previous-year indicator was mapped to a goal gets a bonus for that
   goal, and so do the goals whose ministry indicators name the indicator's unit (or a
   unit above it) among their responsible units. `python -m bench.mapping.accuracy` measures it.
5. The reason shown is the list of stemmed words the indicator shares with the profile.

Everything is vectorised (sparse matrix products, argpartition), so 10,000 indicators take
well under a second once the stems are cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

WORD = re.compile(r"[a-z0-9]+")

# Indonesian function words and the measuring words every indicator carries ("persentase",
# "jumlah"…): they are the language, the same in every ministry, and say nothing about which
# goal an indicator serves. Compared after stemming, so list the stems. Words particular to
# one organisation (its name, "sekretariat", "negara"…) are not listed: `common_words` finds
# them in the goals themselves.
STOP_WORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "dalam",
        "untuk",
        "pada",
        "dengan",
        "atas",
        "oleh",
        "serta",
        "atau",
        "bagi",
        "sebagai",
        "secara",
        "terhadap",
        "tentang",
        "antara",
        "sesuai",
        "melalui",
        "per",
        "se",
        "tiap",
        "setiap",
        "para",
        "hal",
        "itu",
        "ini",
        "adalah",
        "akan",
        "telah",
        "sudah",
        "dapat",
        "bisa",
        "juga",
        "lain",
        "lainnya",
        "tersebut",
        "agar",
        "yaitu",
        "maupun",
        "karena",
        "tahun",
        "th",
        "persentase",
        "persen",
        "prosentase",
        "jumlah",
        "indeks",
        "nilai",
        "rasio",
        "angka",
        "rata",
        "capai",
    ]
)

# A stem found in more than this share of the goals' texts is the organisation's common
# vocabulary ("meningkatnya kualitas…", the ministry's own name), not a sign of one goal.
COMMON_SHARE = 0.4
COMMON_MIN_GOALS = 4


def common_words(goal_texts: Sequence[str], *, share: float | None = None) -> frozenset[str]:
    """Stems present in most goals (more than `share` of them, and in at least
    COMMON_MIN_GOALS): the stop words that come from the data."""
    if len(goal_texts) < COMMON_MIN_GOALS:
        return frozenset()
    counts: dict[str, int] = {}
    for text in goal_texts:
        for word in set(tokens(text)):
            counts[word] = counts.get(word, 0) + 1
    limit = max(COMMON_MIN_GOALS, (COMMON_SHARE if share is None else share) * len(goal_texts))
    return frozenset(word for word, n in counts.items() if n > limit)


PROFILE_WEIGHT_WITH_EXAMPLES = 0.6
NEIGHBOUR_WEIGHT = 0.4
PREVIOUS_BONUS = 0.35
# For the goals whose ministry indicators name the indicator's unit (or a unit above it)
# among their responsible units: the strategic plan itself says the unit serves them.
RESPONSIBLE_BONUS = 0.15
WORD_WEIGHT = 0.6
CHAR_WEIGHT = 0.4


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case word (cached: each distinct word is stemmed once)."""
    if word.isdigit() or len(word) <= 3:
        return word
    return _stemmer().stem(word) or word


def tokens(text: str) -> list[str]:
    """Stemmed content words of a text, in order."""
    out = []
    for word in WORD.findall((text or "").lower()):
        stemmed = stem(word)
        if stemmed and stemmed not in STOP_WORDS and word not in STOP_WORDS and len(stemmed) > 1:
            out.append(stemmed)
    return out


def normalise(text: str) -> str:
    return " ".join(tokens(text))


def indicator_text(name: str, goal_text: str = "") -> str:
    """What an indicator is matched on: its name and its unit goal's text."""
    return f"{name}\n{goal_text or ''}"


@dataclass(frozen=True)
class Suggestion:
    goal: object
    score: float
    matched_words: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return ", ".join(self.matched_words)


@dataclass
class Suggester:
    """Fitted once per goal set (and learning data), then asked for many indicators.

    goals: the candidate goals (any objects; `goal_texts` gives their texts).
    extra_texts: per goal, more profile text (ministry indicator names).
    examples: (indicator text, goal index) pairs confirmed by the analysts — in earlier
        years and in this one.
    example_keys: per example, a key of the indicator it was confirmed for (its id): asked
        about that same indicator, the suggester ignores its own decision, so a suggestion
        is never just the echo of the mapping it would replace.
    """

    goals: Sequence
    goal_texts: Sequence[str]
    extra_texts: Sequence[Sequence[str]] = ()
    examples: Sequence[tuple[str, int]] = ()
    example_keys: Sequence[object] = ()
    use_chars: bool = True
    _profile_tokens: list[set[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.goals)
        extra = list(self.extra_texts) or [[] for _ in range(n)]
        self.common = common_words(self.goal_texts)
        base_docs = [self.normalise(" ".join([self.goal_texts[i], *extra[i]])) for i in range(n)]
        example_docs = [self.normalise(text) for text, _ in self.examples]
        example_goal = np.array([g for _, g in self.examples], dtype=np.int64)
        self._profile_tokens = [set(doc.split()) for doc in base_docs]
        for doc, g in zip(example_docs, example_goal, strict=True):
            self._profile_tokens[g].update(doc.split())
        self.word_vec = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=False, token_pattern=r"\S+"
        )
        corpus = base_docs + example_docs
        self.word_vec.fit(corpus)
        self.char_vec = None
        if self.use_chars:
            self.char_vec = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=False, min_df=1
            )
            self.char_vec.fit(corpus)
        self.profiles = self._embed_docs(base_docs)
        self.example_matrix = self._embed_docs(example_docs) if example_docs else None
        self.example_goal = example_goal
        keys = list(self.example_keys)
        self.example_keys = keys if len(keys) == len(example_docs) else [None] * len(example_docs)

    def normalise(self, text: str) -> str:
        return " ".join(word for word in tokens(text) if word not in self.common)

    # -- vectors -----------------------------------------------------------------------

    def _embed_docs(self, docs: list[str]):
        parts = [WORD_WEIGHT * normalize(self.word_vec.transform(docs))]
        if self.char_vec is not None:
            parts.append(CHAR_WEIGHT * normalize(self.char_vec.transform(docs)))
        return normalize(sparse.hstack(parts, format="csr"))

    def scores(
        self,
        texts: Sequence[str],
        previous_goal: Sequence[int | None] | None = None,
        *,
        keys: Sequence[object] | None = None,
        responsible: Sequence[Iterable[int]] | None = None,
    ):
        """Indicators × goals score matrix and each indicator's token set.

        keys: per text, the key of its indicator (its own confirmed example is left out).
        responsible: per text, the goals its unit is responsible for (a bonus each).
        """
        docs = [self.normalise(t) for t in texts]
        n_goals = len(self.goals)
        if not docs:
            return np.zeros((0, n_goals)), []
        matrix = self._embed_docs(docs)
        result = (matrix @ self.profiles.T).toarray()
        if self.example_matrix is not None and self.example_matrix.shape[0]:
            sims = (matrix @ self.example_matrix.T).toarray()
            if keys is not None:
                position = {k: j for j, k in enumerate(self.example_keys) if k is not None}
                for row, key in enumerate(keys):
                    if key is not None and key in position:
                        sims[row, position[key]] = -1.0
            # A goal nobody has confirmed an example for keeps its profile score as its
            # "nearest example": learning lifts the goals it knows, never sinks the others.
            nearest = result.copy()
            for g in np.unique(self.example_goal):
                nearest[:, g] = np.maximum(
                    sims[:, self.example_goal == g].max(axis=1), result[:, g]
                )
            result = PROFILE_WEIGHT_WITH_EXAMPLES * result + NEIGHBOUR_WEIGHT * nearest
        if previous_goal is not None:
            for row, g in enumerate(previous_goal):
                if g is not None:
                    result[row, g] += PREVIOUS_BONUS
        if responsible is not None:
            for row, goal_indices in enumerate(responsible):
                for g in goal_indices:
                    result[row, g] += RESPONSIBLE_BONUS
        return result, [set(doc.split()) for doc in docs]

    def suggest(
        self,
        texts: Sequence[str],
        *,
        top: int = 3,
        previous_goal: Sequence[int | None] | None = None,
        keys: Sequence[object] | None = None,
        responsible: Sequence[Iterable[int]] | None = None,
    ) -> list[list[Suggestion]]:
        matrix, token_sets = self.scores(texts, previous_goal, keys=keys, responsible=responsible)
        if not len(token_sets) or not len(self.goals):
            return [[] for _ in texts]
        top = min(top, len(self.goals))
        best = np.argpartition(-matrix, top - 1, axis=1)[:, :top]
        rows = np.arange(matrix.shape[0])[:, None]
        order = np.argsort(-matrix[rows, best], axis=1, kind="stable")
        best = best[rows, order]
        out = []
        for i, goal_indices in enumerate(best):
            words = token_sets[i]
            out.append(
                [
                    Suggestion(
                        goal=self.goals[g],
                        score=round(float(matrix[i, g]), 4),
                        matched_words=tuple(sorted(words & self._profile_tokens[g])),
                    )
                    for g in goal_indices
                ]
            )
        return out

    def explain(self, text: str, goal_index: int) -> Suggestion:
        """The score and shared words of one indicator for one chosen goal."""
        matrix, token_sets = self.scores([text])
        return Suggestion(
            goal=self.goals[goal_index],
            score=round(float(matrix[0, goal_index]), 4),
            matched_words=tuple(sorted(token_sets[0] & self._profile_tokens[goal_index])),
        )


def suggest(
    indicators: Iterable,
    goals: Sequence,
    *,
    top: int = 3,
    examples: Sequence[tuple[str, object]] = (),
    extra_texts: Sequence[Sequence[str]] = (),
) -> list[list[Suggestion]]:
    """Ranked goal suggestions for each indicator.

    indicators: plan Indicator rows (name and goal.text are read), or (name, unit goal
    text) pairs, or plain strings. goals: objects with a `text` attribute (StrategicGoal)
    or strings. examples: (indicator text, goal) pairs confirmed earlier (goal: one of
    `goals`).
    """
    goals = list(goals)
    indicators = list(indicators)
    if not goals:
        return [[] for _ in indicators]
    index = {id(g): i for i, g in enumerate(goals)}
    pairs = [(text, index[id(goal)]) for text, goal in examples if id(goal) in index]
    suggester = Suggester(
        goals=goals,
        goal_texts=[getattr(g, "text", g) for g in goals],
        extra_texts=extra_texts,
        examples=pairs,
    )
    return suggester.suggest([text_of(item) for item in indicators], top=top)


def text_of(item) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, tuple):
        return indicator_text(*item)
    goal = getattr(item, "goal", None)
    return indicator_text(item.name, getattr(goal, "text", "") if goal is not None else "")


def overlap_baseline(texts: Sequence[str], goal_texts: Sequence[str], *, top: int = 3):
    """The plain baseline for the benchmark: shared lower-case words, no stemming."""
    goal_words = [set(WORD.findall(t.lower())) - STOP_WORDS for t in goal_texts]
    out = []
    for text in texts:
        words = set(WORD.findall(text.lower())) - STOP_WORDS
        scores = [len(words & g) / (len(g) or 1) for g in goal_words]
        out.append(sorted(range(len(goal_texts)), key=lambda i: -scores[i])[:top])
    return out
