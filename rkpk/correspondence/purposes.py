"""What the apps above correspondence say about the documents they make for their own
work (`Document.purpose`, e.g. the procedure's memoranda of a cycle).

Correspondence does not know those apps: each registers a `Purpose` in its `apps.py`
`ready()` (`register(...)`), and dispatch, its form and the document page ask the
registered purposes. A document no purpose claims is an ordinary letter.
"""


class Purpose:
    """The questions correspondence asks about a document made for a purpose. The
    defaults are an ordinary letter's answers."""

    def claims(self, document) -> bool:
        """Whether this purpose owns the document."""
        return False

    def refuse_dispatch(self, document) -> None:
        """Raise ValidationError when the document may not be dispatched yet."""

    def enclosures(self, document) -> list[tuple[str, bytes, str]]:
        """Files the document carries without being uploaded: (name, bytes, type)."""
        return []

    def dispatch_initial(self, document) -> dict:
        """The dispatch form's initial recipients (`all_units`, `others`)."""
        return {}

    def notify_roles(self, document) -> tuple[str, ...]:
        """Besides the recipient units' people: the roles told when it is dispatched."""
        return ()

    def waiting_notes(self, document, user) -> list[str]:
        """After an action on the document: what now waits for someone else."""
        return []

    def panel(self, document, user) -> dict:
        """More of the document page's expedition panel (e.g. `may_confirm_binding`)."""
        return {}


_registered: list[Purpose] = []
_ordinary = Purpose()


def register(purpose: Purpose) -> None:
    if purpose not in _registered:
        _registered.append(purpose)


def of(document) -> Purpose:
    """The purpose that owns the document, or the ordinary letter's."""
    for purpose in _registered:
        if purpose.claims(document):
            return purpose
    return _ordinary
