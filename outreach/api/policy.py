"""Who may call what: one table of role x operation, used by the guard and by a test that
walks every operation of the OpenAPI schema.

`public` operations need no sign-in (the gazetteer is open data); every other operation lists
the roles that may call it. An API operation missing from the table is refused (fail closed).
"""

from __future__ import annotations

from typing import Final

PUBLIC: Final = "public"
Roles = frozenset[str]

_OPEN: Roles = frozenset({PUBLIC})
_COORDINATOR: Roles = frozenset({"coordinator"})
_PLANNERS: Roles = frozenset({"coordinator", "leadership"})
_ADMIN: Roles = frozenset({"admin"})
_STAFF: Roles = frozenset({"coordinator", "leadership", "admin"})
_FIELD: Roles = frozenset({"field"})

POLICY: dict[tuple[str, str], Roles] = {
    ("GET", "/health"): _OPEN,
    ("POST", "/api/v1/session"): _OPEN,
    ("GET", "/api/v1/session"): _STAFF,
    ("DELETE", "/api/v1/session"): _STAFF,
    ("GET", "/api/v1/regions"): _OPEN,
    ("GET", "/api/v1/districts"): _OPEN,
    ("GET", "/api/v1/districts.geojson"): _OPEN,
    ("GET", "/api/v1/districts/{kato}"): _OPEN,
    ("GET", "/api/v1/okrugs"): _OPEN,
    ("GET", "/api/v1/okrugs.geojson"): _OPEN,
    ("GET", "/api/v1/okrugs/{kato}"): _OPEN,
    ("GET", "/api/v1/villages"): _OPEN,
    ("GET", "/api/v1/villages.geojson"): _OPEN,
    ("GET", "/api/v1/villages/{kato}"): _OPEN,
    ("GET", "/api/v1/travel"): _OPEN,
    ("PATCH", "/api/v1/villages/{kato}"): _COORDINATOR,
    ("POST", "/api/v1/gazetteer/imports"): _COORDINATOR,
    ("POST", "/api/v1/gazetteer/populations"): _COORDINATOR,
    ("GET", "/api/v1/gazetteer/suggestions"): _COORDINATOR,
    ("POST", "/api/v1/gazetteer/suggestions/{record_id}/accept"): _COORDINATOR,
    ("POST", "/api/v1/gazetteer/suggestions/{record_id}/refuse"): _COORDINATOR,
    ("POST", "/api/v1/grouping/preview"): _PLANNERS,
    ("POST", "/api/v1/grouping/preview.geojson"): _PLANNERS,
    ("POST", "/api/v1/plans"): _COORDINATOR,
    ("GET", "/api/v1/plans"): _PLANNERS,
    ("GET", "/api/v1/plans/{plan_id}"): _PLANNERS,
    ("POST", "/api/v1/plans/{plan_id}/publish"): _COORDINATOR,
    ("POST", "/api/v1/plans/{plan_id}/replan"): _COORDINATOR,
    ("GET", "/api/v1/plans/{plan_id}/diff"): _PLANNERS,
    ("GET", "/api/v1/plans/{plan_id}/routes.geojson"): _PLANNERS,
    ("GET", "/api/v1/plans/{plan_id}/itinerary.csv"): _PLANNERS,
    ("GET", "/api/v1/plans/{plan_id}/day-sheet"): _PLANNERS,
    ("POST", "/api/v1/plans/stream"): _COORDINATOR,
    ("POST", "/api/v1/plans/{plan_id}/replan/stream"): _COORDINATOR,
    ("GET", "/api/v1/plans/{plan_id}/checks"): _PLANNERS,
    ("GET", "/api/v1/plans/{plan_id}/announcements"): _PLANNERS,
    ("GET", "/api/v1/plans/{plan_id}/notice"): _PLANNERS,
    ("GET", "/api/v1/teams"): frozenset({"coordinator", "admin"}),
    ("GET", "/api/v1/users"): frozenset({"coordinator", "admin"}),
    ("POST", "/api/v1/users"): _ADMIN,
    ("GET", "/api/v1/audit"): _ADMIN,
    ("POST", "/api/v1/teams"): frozenset({"coordinator", "admin"}),
    ("PATCH", "/api/v1/users/{login}"): _ADMIN,
    ("POST", "/api/v1/users/{login}/team"): frozenset({"coordinator", "admin"}),
    ("POST", "/api/v1/devices/enrolments"): _COORDINATOR,
    ("POST", "/api/v1/devices/enrol"): _OPEN,
    ("GET", "/api/v1/devices"): _COORDINATOR,
    ("POST", "/api/v1/devices/{device_id}/revoke"): _COORDINATOR,
    ("GET", "/api/v1/field/plan"): _FIELD,
    ("POST", "/api/v1/sync/push"): _FIELD,
    ("POST", "/api/v1/sync/pull"): _FIELD,
    ("PUT", "/api/v1/sync/photos/{sha256}"): _FIELD,
    ("GET", "/api/v1/sync/photos/{sha256}"): _FIELD,
    ("GET", "/api/v1/photos/{sha256}"): frozenset({"field", "coordinator"}),
    ("GET", "/api/v1/coverage"): _PLANNERS,
    ("GET", "/api/v1/coverage/version"): _PLANNERS,
    ("GET", "/api/v1/coverage/campaigns"): _PLANNERS,
    ("GET", "/api/v1/coverage.csv"): _PLANNERS,
    ("GET", "/api/v1/coverage.xlsx"): _PLANNERS,
    ("GET", "/api/v1/coverage.geojson"): _PLANNERS,
    ("GET", "/api/v1/coverage/villages/{kato}"): _COORDINATOR,
    ("POST", "/api/v1/followups/{person_id}/status"): _COORDINATOR,
    # residents' names and phones: coordinators, and a team's phones for its own residents
    ("GET", "/api/v1/residents"): _COORDINATOR,
    ("GET", "/api/v1/residents/candidates"): _COORDINATOR,
    ("POST", "/api/v1/residents/candidates/{candidate_id}/apart"): _COORDINATOR,
    ("POST", "/api/v1/residents/merge"): _COORDINATOR,
    ("GET", "/api/v1/residents/followups"): _FIELD,
    ("GET", "/api/v1/residents/{resident_id}"): _COORDINATOR,
    ("POST", "/api/v1/residents/{resident_id}/split"): _COORDINATOR,
    ("POST", "/api/v1/residents/{resident_id}/stage"): _COORDINATOR,
    ("POST", "/api/v1/residents/{resident_id}/erase"): _COORDINATOR,
    ("GET", "/api/v1/residents/imports"): _COORDINATOR,
    ("POST", "/api/v1/residents/imports"): _COORDINATOR,
    ("POST", "/api/v1/residents/imports/{import_id}/undo"): _COORDINATOR,
    ("GET", "/api/v1/targets"): _PLANNERS,
    ("PUT", "/api/v1/targets"): _COORDINATOR,
    ("GET", "/api/v1/sync/review"): _COORDINATOR,
    ("GET", "/api/v1/sync/review/resolved"): _COORDINATOR,
    ("POST", "/api/v1/sync/review/overwrites/{item_id}/resolve"): _COORDINATOR,
    ("POST", "/api/v1/sync/review/parked/{item_id}/resolve"): _COORDINATOR,
    # where field staff were: never leadership, who sees counts only
    ("GET", "/api/v1/meetings/positions"): frozenset({"coordinator", "admin"}),
}


def allowed(method: str, path_template: str) -> Roles | None:
    """The roles (or `public`) that may call an operation; None if it is not in the table."""
    return POLICY.get((method.upper(), path_template))
