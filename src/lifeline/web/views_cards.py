"""Printable cards: a person's card and a household's ration card, each with a QR code drawn
on the server (the person's id, the ration card's number). The page shows the card and a
Print button; the print stylesheet leaves only the card, card-sized, black on white."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lifeline.core.pages import page_view
from lifeline.core.qr import qr_svg
from lifeline.people import cards


@page_view
def person_card(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    card = cards.person_card(actor=request.user, person_id=person_id)
    person = card.person
    qr = qr_svg(str(person.pk), title=_("QR code of the person's id"))
    return render(
        request,
        "web/person_card.html",
        # qr_svg escapes its title and draws only numbers: safe to put in the page as is.
        {"card": card, "person": person, "qr": mark_safe(qr)},  # noqa: S308
    )


@page_view
def household_card(request: HttpRequest, household_id: uuid.UUID) -> HttpResponse:
    card = cards.household_card(actor=request.user, household_id=household_id)
    number = card.household.ration_card or ""
    qr = qr_svg(number, title=_("QR code of the ration card number")) if number else ""
    return render(
        request,
        "web/household_card.html",
        {"card": card, "household": card.household, "qr": mark_safe(qr)},  # noqa: S308
    )
