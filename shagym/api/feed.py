"""GET /api/v1/events: the immutable events the caller may see, in commit order, after a position."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from shagym.webhooks import feed

from .auth import AUTH, caller
from .complaints import GET_ERRORS
from .models import Scope
from .schemas import MAX_ID, EventPage

router = Router(tags=["events"], auth=AUTH)


class FeedQuery(Schema):
    after: int = Field(0, ge=0, le=MAX_ID, description="The last position read (0: from the start).")
    limit: int = Field(100, ge=1, le=500)


@router.get(
    "/events",
    response={200: EventPage, **GET_ERRORS},
    summary="The events feed",
    description="Every event the caller may see, in the order of their commits, after `after`. Read until "
    "`items` is empty, keep `next_after`, and come back with it: nothing is missed or repeated. A key sees the "
    "events that happened while its organisation held the complaint; the applicant's session, the events of the "
    "applicant's complaints less the steps internal to the body.",
)
def events(request: HttpRequest, params: Query[FeedQuery]) -> Status:
    c = caller(request)
    c.require(Scope.READ)
    entries = feed.page(c.user, as_applicant=c.as_applicant, after=params.after, limit=params.limit)
    return Status(200, {
        "items": feed.documents(entries, for_applicant=c.as_applicant),
        "next_after": entries[-1].position if entries else params.after,
    })
