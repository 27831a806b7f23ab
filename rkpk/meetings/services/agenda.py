"""The meeting's agenda items and its decisions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.meetings.dates import format_day_date_id
from rkpk.meetings.models import AgendaItem, Decision, Meeting
from rkpk.meetings.services.base import (
    _UNSET,
    DECISION_FIELDS,
    MAX_NOTES,
    _check_revision,
    _editable,
    _line,
    _locked,
    _require_editor,
    _text,
    meeting_day,
)
from rkpk.organisation.models import Official, Unit

# --- Agenda ------------------------------------------------------------------------------


def _item_values(title, notes) -> dict:
    values = {}
    if title is not _UNSET:
        values["title"] = _line(
            title, field="title", max_length=300, required=True, label=_("Give the item a title.")
        )
    if notes is not _UNSET:
        values["notes"] = _text(notes, field="notes", max_length=MAX_NOTES)
    return values


@transaction.atomic
def add_agenda_item(*, actor, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    values = _item_values(title, notes)
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position, **values)
    audit.record(
        actor=actor,
        action="meeting.agenda_added",
        obj=item,
        after={"meeting": meeting.pk, "title": item.title, "notes": item.notes},
    )
    return item


@transaction.atomic
def update_agenda_item(
    *, actor, item: AgendaItem, revision: int, title=_UNSET, notes=_UNSET
) -> AgendaItem:
    """Save an item's title and/or notes; `revision` is the one the editor loaded."""
    _require_editor(actor)
    meeting = _locked(item.meeting)
    _editable(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _check_revision(item.revision, revision)
    values = _item_values(title, notes)
    before = {"title": item.title, "notes": item.notes, "revision": item.revision}
    for name, value in values.items():
        setattr(item, name, value)
    item.revision += 1
    item.save()
    audit.record(
        actor=actor,
        action="meeting.agenda_updated",
        obj=item,
        before=before,
        after={"title": item.title, "notes": item.notes, "revision": item.revision},
    )
    return item


@transaction.atomic
def reorder_agenda(*, actor, meeting: Meeting, order: list[int]) -> list[AgendaItem]:
    """Put the agenda in the given order: every item's id, once."""
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    items = {i.pk: i for i in meeting.agenda_items.all()}
    try:
        order = [int(getattr(pk, "pk", pk)) for pk in order or ()]
    except (TypeError, ValueError) as error:
        raise ValidationError({"order": _("Give the ids of the agenda items.")}) from error
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        raise ValidationError({"order": _("Give every agenda item of the meeting, once.")})
    before = [i.pk for i in sorted(items.values(), key=lambda i: (i.position, i.pk))]
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    audit.record(
        actor=actor,
        action="meeting.agenda_reordered",
        obj=meeting,
        before={"order": before},
        after={"order": order},
    )
    return [items[pk] for pk in order]


def move_agenda_item(*, actor, item: AgendaItem, direction: str) -> list[AgendaItem]:
    """Move an item one place up or down (the buttons of the page)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move up or down."))
    order = list(
        AgendaItem.objects.filter(meeting_id=item.meeting_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return reorder_agenda(actor=actor, meeting=item.meeting, order=order)


@transaction.atomic
def delete_agenda_item(*, actor, item: AgendaItem) -> None:
    _require_editor(actor)
    meeting = _locked(item.meeting)
    _editable(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    before = {"title": item.title, "notes": item.notes}
    audit.record(actor=actor, action="meeting.agenda_deleted", obj=item, before=before)
    item.delete()


# --- Decisions -----------------------------------------------------------------------------


def _decision_values(meeting: Meeting, fields: dict) -> dict:
    values, errors = {}, {}
    if "text" in fields:
        try:
            values["text"] = _text(
                fields["text"],
                field="text",
                max_length=5000,
                required=True,
                label=_("Write the decision."),
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if "agenda_item" in fields:
        item = fields["agenda_item"]
        if item is not None and not isinstance(item, AgendaItem):
            item = AgendaItem.objects.filter(pk=item).first()
        if item is not None and item.meeting_id != meeting.pk:
            errors["agenda_item"] = [_("Choose an item of this meeting's agenda.")]
        values["agenda_item"] = item
    for name, model in (("owner_unit", Unit), ("owner_official", Official)):
        if name in fields:
            value = fields[name]
            if value is not None and not isinstance(value, model):
                value = model.objects.filter(pk=value).first()
                if value is None:
                    errors[name] = [_("Choose from the list.")]
            values[name] = value
    if "owner_text" in fields:
        values["owner_text"] = _line(fields["owner_text"], field="owner_text", max_length=200)
    if "due_date" in fields:
        due = fields["due_date"]
        if due is not None and not isinstance(due, date):
            errors["due_date"] = [_("Give a date.")]
        elif due is not None and due < meeting_day(meeting):
            errors["due_date"] = [
                _("The due date cannot lie before the meeting (%(d)s).")
                % {"d": format_day_date_id(meeting.starts_at)}
            ]
        values["due_date"] = due
    if "status" in fields:
        if fields["status"] not in Decision.Status.values:
            errors["status"] = [_("Open or done.")]
        values["status"] = fields["status"]
    if errors:
        raise ValidationError(errors)
    return values


def _check_one_owner(decision: Decision) -> None:
    owners = [decision.owner_unit_id, decision.owner_official_id, decision.owner_text.strip()]
    if sum(1 for o in owners if o) > 1:
        raise ValidationError(
            {"owner_text": _("Name one owner: a unit, an official or someone else.")}
        )


def _decision_snapshot(decision: Decision) -> dict:
    return audit.snapshot(decision, DECISION_FIELDS)


@transaction.atomic
def add_decision(
    *,
    actor,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    owner_unit: Unit | None = None,
    owner_official: Official | None = None,
    owner_text: str = "",
    due_date: date | None = None,
) -> Decision:
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    values = _decision_values(
        meeting,
        {
            "text": text,
            "agenda_item": agenda_item,
            "owner_unit": owner_unit,
            "owner_official": owner_official,
            "owner_text": owner_text,
            "due_date": due_date,
        },
    )
    position = (meeting.decisions.aggregate(m=Max("position"))["m"] or 0) + 1
    decision = Decision(meeting=meeting, position=position, **values)
    _check_one_owner(decision)
    decision.save()
    audit.record(
        actor=actor,
        action="meeting.decision_added",
        obj=decision,
        after={"meeting": meeting.pk, **_decision_snapshot(decision)},
    )
    return decision


@transaction.atomic
def update_decision(*, actor, decision: Decision, revision: int, **fields) -> Decision:
    """Change a decision (text, agenda_item, owner_unit, owner_official, owner_text,
    due_date, status); `revision` is the one the editor loaded."""
    _require_editor(actor)
    meeting = _locked(decision.meeting)
    _editable(meeting)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _check_revision(decision.revision, revision)
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    values = _decision_values(meeting, fields)
    before = _decision_snapshot(decision)
    for name, value in values.items():
        setattr(decision, name, value)
    _check_one_owner(decision)
    decision.revision += 1
    decision.save()
    audit.record(
        actor=actor,
        action="meeting.decision_updated",
        obj=decision,
        before=before,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def delete_decision(*, actor, decision: Decision) -> None:
    _require_editor(actor)
    meeting = _locked(decision.meeting)
    _editable(meeting)
    decision = Decision.objects.get(pk=decision.pk)
    audit.record(
        actor=actor,
        action="meeting.decision_deleted",
        obj=decision,
        before=_decision_snapshot(decision),
    )
    decision.delete()
