"""Residents over HTTP: the registry for coordinators (personal data: every read audited), the
follow-up list for a team's phones, programme lists in, and targets."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from outreach.api.auth import current_actor, current_session
from outreach.api.deps import DB
from outreach.domain.residents import (
    CandidatePage,
    FollowupList,
    MergeRequest,
    ResidentDetail,
    ResidentFilter,
    ResidentPage,
    SplitRequest,
    Stage,
    StageChange,
)
from outreach.services import resident_imports
from outreach.services import residents as service

ResidentId = Annotated[int, PathParameter(ge=1, le=2**62)]
Kato = Annotated[str | None, QueryParameter(pattern=r"^\d{9}$")]
Text = Annotated[str | None, QueryParameter(max_length=200)]
LIST_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class ResidentController(Controller):
    """The resident registry (docs/followup.md)."""

    path = "/api/v1/residents"
    tags = ["residents"]

    @get("/")
    async def list_residents(
        self, db: DB, request: Request[Any, Any, Any], q: Text = None, district: Kato = None,
        stage: Annotated[Stage | None, QueryParameter()] = None, team: Text = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=10**9)] = 0,
    ) -> ResidentPage:  # fmt: skip
        """Residents by name or phone (`q`), district, stage (`dropped` for those who left)
        or team, a page at a time (coordinators; audited)."""
        where = ResidentFilter(q=q, district=district, stage=stage, team=team, limit=limit,
                               offset=offset)  # fmt: skip
        return await service.list_residents(db, where, current_actor(request))

    @get("/candidates")
    async def candidates(
        self, db: DB, request: Request[Any, Any, Any],
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        after: Annotated[int, QueryParameter(ge=0, le=2**62)] = 0,
    ) -> CandidatePage:  # fmt: skip
        """Doubtful matches: two residents who may be one person (the same phone with another
        name, or the same name in one village where a phone is missing), oldest first, a page
        at a time (`after`: the last id of the page before), with how many are open. Never
        merged without a coordinator."""
        return await service.candidates(db, current_actor(request), limit, after)

    @post("/candidates/{candidate_id:int}/apart", status_code=HTTP_200_OK)
    async def apart(
        self, db: DB, request: Request[Any, Any, Any], candidate_id: ResidentId
    ) -> dict[str, Any]:
        """The pair are different people: never proposed again."""
        await service.keep_apart(db, candidate_id, current_actor(request))
        return {}

    @post("/merge", status_code=HTTP_200_OK, opt={"body_media_type": "application/json"})
    async def merge(
        self, db: DB, request: Request[Any, Any, Any], data: JSONBody[MergeRequest]
    ) -> ResidentDetail:
        """One person recorded twice: `other` becomes part of `into`, every meeting and
        history line kept (a split gives them back)."""
        return await service.merge(db, data, current_actor(request))

    @get("/imports")
    async def imports(self, db: DB) -> list[resident_imports.ImportSummary]:
        """Programme lists brought in, newest first."""
        return await resident_imports.imports(db)

    @post("/imports", status_code=HTTP_200_OK, opt={"body_media_type": LIST_TYPES})
    async def import_list(
        self, db: DB, request: Request[Any, Any, Any],
        filename: Annotated[str, QueryParameter(min_length=1, max_length=200)] = "list.csv",
        programme: Annotated[str | None, QueryParameter(max_length=40)] = None,
        separate: Annotated[str | None, QueryParameter(pattern=r"^\d+(,\d+)*$",
                                                       max_length=20000)] = None,
        dry_run: Annotated[bool, QueryParameter()] = True,
    ) -> Response[resident_imports.ImportPreview | resident_imports.ImportSummary]:  # fmt: skip
        """A programme operator's list (CSV or xlsx: name, phone, village or district,
        stage, date, amount in tenge, programme, funding source, reason, note; headers in
        kk, ru or en). `dry_run=true` (the default) answers how each row matches: `exact`
        (same phone), `probable` (same name in the same village or district), `new` or
        `conflicting`, changing nothing. `dry_run=false` applies the whole list in one
        transaction (201): `separate` lists probable rows' lines that are other people. A bad
        file is refused whole (400 `invalid_programme_list`) with every line and column."""
        body = await request.body()
        lines = {int(n) for n in separate.split(",")} if separate else set()
        args = (db, body, filename, programme, lines, current_actor(request))
        if dry_run:
            return Response(await resident_imports.preview(*args))
        return Response(await resident_imports.apply(*args), status_code=HTTP_201_CREATED)

    @post("/imports/{import_id:int}/undo", status_code=HTTP_200_OK)
    async def undo_import(
        self, db: DB, request: Request[Any, Any, Any], import_id: ResidentId
    ) -> resident_imports.ImportSummary:
        """Take a list back whole (409 `import_superseded` when residents it created were
        met or changed since)."""
        return await resident_imports.undo(db, import_id, current_actor(request))

    @get("/followups")
    async def followups(self, db: DB, request: Request[Any, Any, Any]) -> FollowupList:
        """This phone's team's residents still to follow up, overdue first, with their phone
        numbers (field phones; audited). A call or visit is logged as a `followup` record by
        sync (docs/followup.md)."""
        user = current_session(request).user
        return await service.followups(db, user.team, current_actor(request))

    @get("/{resident_id:int}")
    async def detail(
        self, db: DB, request: Request[Any, Any, Any], resident_id: ResidentId
    ) -> ResidentDetail:
        """A resident: every meeting, every history line with who and when, merges and
        doubtful matches (coordinators; audited)."""
        return await service.detail(db, resident_id, current_actor(request))

    @post("/{resident_id:int}/split", status_code=HTTP_200_OK,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def split(
        self, db: DB, request: Request[Any, Any, Any], resident_id: ResidentId,
        data: JSONBody[SplitRequest],
    ) -> ResidentDetail:  # fmt: skip
        """Take a resident merged into this one back out, with all that was theirs."""
        return await service.split(db, resident_id, data, current_actor(request))

    @post("/{resident_id:int}/stage", status_code=HTTP_200_OK,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def stage(
        self, db: DB, request: Request[Any, Any, Any], resident_id: ResidentId,
        data: JSONBody[StageChange],
    ) -> ResidentDetail:  # fmt: skip
        """Record the stage a resident reached (with the amount in tenge for a defended
        project or a financing, the funding source, the reason for dropping) or only the next
        contact date. The funnel counts the furthest stage ever reached."""
        return await service.set_stage(db, resident_id, data, current_actor(request))

    @post("/{resident_id:int}/erase", status_code=HTTP_200_OK)
    async def erase(
        self, db: DB, request: Request[Any, Any, Any], resident_id: ResidentId
    ) -> ResidentDetail:
        """Erase a resident on their request: name, phone and notes gone from the registry and
        every record that held them; the counts and stages stay. Audited."""
        return await service.erase(db, resident_id, current_actor(request))
