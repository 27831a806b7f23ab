"""The one rule that judges a compiled ministry figure against its target, by polarity.

- higher is better: met when figure ≥ target;
- lower is better: met when figure ≤ target;
- range: met when min ≤ figure ≤ max (either end may be open, negatives allowed);
- qualitative: not judged (the target is a word, the figure a number).

It says why when it cannot judge: no target for the year, a qualitative target, no
contributing unit indicator (no figure), or a target that does not suit the polarity.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

MET = "met"
NOT_MET = "not_met"
NOT_JUDGED = "not_judged"

HIGHER, LOWER, RANGE, QUALITATIVE = "higher", "lower", "range", "qualitative"
REASONS_ID = {
    QUALITATIVE: "target kualitatif",
    "no_target": "tidak ada target",
    "no_contributor": "tidak ada indikator unit yang berkontribusi",
    "no_figure": "tidak ada angka",
}


@dataclass(frozen=True)
class Verdict:
    status: str  # MET, NOT_MET or NOT_JUDGED
    reason: str  # why not judged / how it was judged, in words
    # The rule or the cause, for documents in a fixed language: higher, lower, range,
    # qualitative, no_target, no_contributor, no_figure.
    code: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.status == NOT_JUDGED else self.status == MET

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "code": self.code,
            "reason": self.reason,
            "label": self.label,
            "words_id": self.words_id,
        }

    @property
    def words_id(self) -> str:
        """The verdict in Indonesian, as the documents print it."""
        if self.status == MET:
            return "Memenuhi target"
        if self.status == NOT_MET:
            return "Belum memenuhi target"
        return "Tidak dinilai: " + REASONS_ID.get(self.code, "tidak ada angka")

    @property
    def label(self) -> str:
        return {MET: _("Met"), NOT_MET: _("Not met"), NOT_JUDGED: _("Not judged")}[self.status]


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def judge(
    *,
    polarity: str,
    figure=None,
    value=None,
    min_value=None,
    max_value=None,
    text: str = "",
    has_target: bool = True,
    contributors: int | None = None,
) -> Verdict:
    """Judge `figure` (the aggregated ministry figure) against the target of the year.

    `value` is a numeric target; `min_value`/`max_value` a range; `text` a qualitative
    target. `has_target=False` when the year has no target at all; `contributors` the
    number of unit indicators that gave the figure (0: none contributed)."""
    figure, value = _dec(figure), _dec(value)
    low, high = _dec(min_value), _dec(max_value)
    if polarity == QUALITATIVE or (text and value is None and low is None and high is None):
        return Verdict(
            NOT_JUDGED, _("Qualitative target: not judged against a figure."), QUALITATIVE
        )
    if not has_target or (value is None and low is None and high is None):
        return Verdict(NOT_JUDGED, _("No target for this year."), "no_target")
    if figure is None:
        if contributors == 0:
            return Verdict(NOT_JUDGED, _("No contributing unit indicator."), "no_contributor")
        return Verdict(NOT_JUDGED, _("No figure to judge."), "no_figure")
    if polarity == RANGE:
        if low is None and high is None:
            # A range indicator given a single number: judged as that exact value.
            low = high = value
        ok = (low is None or figure >= low) and (high is None or figure <= high)
        return Verdict(
            MET if ok else NOT_MET, _("Within the range from minimum to maximum."), RANGE
        )
    if value is None:
        # A range written for a higher/lower indicator: judge against the relevant end.
        value = low if polarity == HIGHER else high
        if value is None:
            value = high if polarity == HIGHER else low
    if polarity == LOWER:
        return Verdict(
            MET if figure <= value else NOT_MET,
            _("Lower is better: figure at most the target."),
            LOWER,
        )
    return Verdict(
        MET if figure >= value else NOT_MET,
        _("Higher is better: figure at least the target."),
        HIGHER,
    )
