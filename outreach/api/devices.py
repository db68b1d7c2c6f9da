"""Field devices over HTTP: enrolment codes, enrolment, revocation, and a device's own plan."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from outreach.api.auth import current_actor, current_session
from outreach.api.deps import DB
from outreach.domain.accounts import (
    Device,
    EnrolledDevice,
    Enrolment,
    EnrolmentRequest,
    EnrolRequest,
)
from outreach.domain.wire import MAX_INT64
from outreach.services import devices as service
from outreach.services import team_plans

DeviceId = Annotated[int, PathParameter(ge=1, le=MAX_INT64, description="device id")]


class DeviceController(Controller):
    """Enrolling and revoking field teams' phones."""

    path = "/api/v1/devices"
    tags = ["devices"]

    @post("/enrolments", status_code=HTTP_201_CREATED,
          opt={"body_media_type": "application/json"})  # fmt: skip
    async def issue(self, db: DB, request: Request[Any, Any, Any],
                    data: JSONBody[EnrolmentRequest]) -> Enrolment:  # fmt: skip
        """A one-time enrolment code for a field user's phone (coordinators), valid for 15
        minutes, as text to type and as a QR code (SVG) to scan."""
        return await service.issue_enrolment(db, data.login, current_actor(request))

    @post("/enrol", status_code=HTTP_201_CREATED, opt={"body_media_type": "application/json"})
    async def enrol(self, db: DB, request: Request[Any, Any, Any],
                    data: JSONBody[EnrolRequest]) -> EnrolledDevice:  # fmt: skip
        """Exchange an enrolment code for a device token (phones). Send the token as
        `Authorization: Bearer <token>` from then on; it is never accepted in a URL, is shown
        only in this answer, and expires after 30 days without use. A revoked device, a
        disabled user, a user who is no longer a field user or an expired device is refused
        with `device_revoked`, `user_disabled`, `device_role_changed` or `device_expired`, so
        the app can keep its unsent records and enrol again. A role change, a team move or
        disabling revokes the user's devices for good."""
        client = request.client.host if request.client else "unknown"
        return await service.enrol(db, data.code, data.label, client)

    @get("/")
    async def list_devices(self, db: DB) -> list[Device]:
        """Every enrolled device (coordinators)."""
        return await service.list_devices(db)

    @post("/{device_id:int}/revoke", status_code=HTTP_200_OK)
    async def revoke(self, db: DB, request: Request[Any, Any, Any], device_id: DeviceId
                     ) -> Device:  # fmt: skip
        """Revoke a device (coordinators): its very next request is refused."""
        return await service.revoke(db, device_id, current_actor(request))


class FieldController(Controller):
    """What a field team's phone sees: its own team's part of the published plans."""

    path = "/api/v1/field"
    tags = ["field"]

    @get("/plan")
    async def my_plan(self, db: DB, request: Request[Any, Any, Any]) -> list[team_plans.TeamPlan]:
        """The published plans' days and meetings of this device's team, and nothing of
        other teams."""
        user = current_session(request).user
        return await team_plans.team_plans(db, user.team)
