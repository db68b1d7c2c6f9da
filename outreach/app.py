"""create_app(settings): the only wiring of the service."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from litestar import Litestar, Router, get
from litestar.config.compression import CompressionConfig
from litestar.di import Provide
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from outreach import __version__, logs
from outreach.api.accounts import AccountsController
from outreach.api.auth import SessionController, authorize
from outreach.api.coverage import CoverageController
from outreach.api.deps import provide_coverage_cache, provide_db, provide_geo
from outreach.api.devices import DeviceController, FieldController
from outreach.api.errors import EXCEPTION_HANDLERS
from outreach.api.gazetteer import GazetteerController, GazetteerImportController
from outreach.api.grouping import GroupingController
from outreach.api.health import HealthController
from outreach.api.meetings import MeetingController
from outreach.api.openapi import COMPONENTS, declare_security, viewer_files
from outreach.api.photos import PhotoController, PhotoUploadController
from outreach.api.plans import PlanController
from outreach.api.requests import check_body_media_type, log_unrouted, request_id_middleware
from outreach.api.residents import ResidentController
from outreach.api.security_headers import add_security_headers
from outreach.api.sync import ReviewController, SyncController
from outreach.api.targets import TargetController
from outreach.api.wire import COMPRESSES_ITSELF, refuse_control_characters
from outreach.config import Settings
from outreach.db.database import connect
from outreach.services import coverage, registry
from outreach.services.coverage import CoverageCache
from outreach.services.gazetteer_import import load_packaged_if_empty
from outreach.services.grouping import GeoCache
from outreach.services.sessions import SessionLimits

log = logging.getLogger("outreach")

API_DESCRIPTION = """\
Plans, runs and measures a chamber of entrepreneurs' village-by-village outreach.

Every error is one JSON shape: `{"code", "message", "status", "details", "request_id"}`;
`code` is stable and meant for programs.

Staff sign in with `POST /api/v1/session`: the answer sets the session cookie and gives a
`csrf_token`, which every write sends back as the `X-CSRF-Token` header (in this page: sign in
with "Try it out", then put the token under "Authorize"). Field phones send their device token
as `Authorization: Bearer <token>`. Settlements, okrugs and districts are keyed by
their 9-digit KATO code. Positions are WGS84 degrees; GeoJSON is `[longitude, latitude]`.
"""


@get("/", include_in_schema=False)
async def root() -> Redirect:
    """The field app lives under /app/."""
    return Redirect(path="/app/")


@get(["/console", "/console/"], include_in_schema=False)
async def console() -> Redirect:
    """The coordinators' and admins' console, at the address people try first."""
    return Redirect(path="/app/console.html")


@get(["/dashboard", "/dashboard/"], include_in_schema=False)
async def dashboard() -> Redirect:
    """Leadership's dashboard, likewise."""
    return Redirect(path="/app/dashboard.html")


SCHEMA_ASSETS = "/schema-assets"


def openapi_config() -> OpenAPIConfig:
    """OpenAPI JSON at /schema/openapi.json and Swagger UI at /schema, from local files only."""
    swagger = SwaggerRenderPlugin(
        path="/",
        js_url=f"{SCHEMA_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{SCHEMA_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{SCHEMA_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{SCHEMA_ASSETS}/favicon-32x32.png'>",
    )
    return OpenAPIConfig(title="Outreach", version=__version__, description=API_DESCRIPTION,
                         path="/schema", render_plugins=[swagger], components=COMPONENTS,
                         use_handler_docstrings=True)  # fmt: skip


def create_served_app() -> Litestar:
    """The app as `outreach serve` runs it, in its process or in each worker process:
    logging set up from the settings first (a worker process starts with none)."""
    settings = Settings.from_env()
    logs.configure(settings.log_level, settings.log_format)
    app = create_app(settings)
    freeze_heap()
    return app


def freeze_heap() -> None:
    """Tune the interpreter of a server process. The garbage collector's passes are kept
    short: what the process holds from its start (modules, types, the app) is moved out of
    their sight (gc.freeze), and the youngest generation is collected every 20,000
    allocations rather than 700 (a push of 500 records makes some 100,000 objects, nearly all
    freed by reference counting as it ends; with the defaults, collections walking them took
    a tenth of a phone's push time; cycles are still collected, a little later). And a
    thread waiting for the GIL, such as the event loop's while a worker checks a push, gets
    it after 1 ms rather than 5 (sys.setswitchinterval): no cost when nobody waits, where a
    worker letting go of it every millisecond cost 0.1 ms each time."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(20_000, second, third)
    sys.setswitchinterval(SWITCH_INTERVAL_S)


SWITCH_INTERVAL_S = 0.001


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the service. Settings come from OUTREACH_* variables unless given."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        db = connect(
            settings.database_url,
            connections=settings.read_connections,
            busy_timeout_ms=settings.busy_timeout_ms,
        )
        await db.open()
        absorber: registry.Absorber | None = None
        warming: asyncio.Task[None] | None = None
        try:
            if settings.load_gazetteer and (summary := await load_packaged_if_empty(db)):
                log.info("loaded the Kyzylorda gazetteer: %d settlements", summary.rows)
            if await registry.behind(db):  # records from before the registry, or a crash
                await registry.fresh_db(db)
                log.info("the resident registry absorbed the records stored before it")
            app.state.absorber = absorber = registry.Absorber(db)
            # the first dashboard need not wait while every meeting and resident is counted
            warming = asyncio.create_task(coverage.warm(db))
            app.state.db = db
            app.state.geo = GeoCache(settings)
            app.state.coverage_cache = CoverageCache()
            app.state.settings = settings
            app.state.session_limits = SessionLimits(
                idle=timedelta(minutes=settings.session_idle_minutes),
                absolute=timedelta(hours=settings.session_max_hours),
            )
            yield
        finally:
            if warming is not None:
                warming.cancel()
                await asyncio.gather(warming, return_exceptions=True)
            if absorber is not None:
                await absorber.close()
            await db.close()

    imports = Router(
        path="/",
        route_handlers=[GazetteerImportController, SyncController, PhotoUploadController],
        request_max_body_size=settings.max_import_bytes,
    )
    app = Litestar(
        route_handlers=[
            root,
            console,
            dashboard,
            HealthController,
            SessionController,
            AccountsController,
            DeviceController,
            FieldController,
            GazetteerController,
            GroupingController,
            PlanController,
            ResidentController,
            TargetController,
            ReviewController,
            MeetingController,
            CoverageController,
            PhotoController,
            imports,
            create_static_files_router(
                path="/app", directories=[settings.static_path], html_mode=True, name="pwa"
            ),
            viewer_files(SCHEMA_ASSETS),
        ],
        dependencies={
            "db": Provide(provide_db, sync_to_thread=False),
            "geo": Provide(provide_geo, sync_to_thread=False),
            "cache": Provide(provide_coverage_cache, sync_to_thread=False),
        },
        lifespan=[database],
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=check_body_media_type,
        guards=[refuse_control_characters, authorize],
        middleware=[request_id_middleware],
        before_send=[add_security_headers, log_unrouted],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=openapi_config(),
        # zlib's default level: a third of the CPU of Litestar's default 9 for answers about
        # 5 % larger (bench/bench_sync.py's pull bytes); at 9, gzip was most of a busy server
        compression_config=CompressionConfig(
            backend="gzip",
            minimum_size=1024,
            gzip_compress_level=6,
            exclude_opt_key=COMPRESSES_ITSELF,  # sync's answers: gzipped in a worker thread
        ),
        logging_config=None,  # `outreach serve` configures plain logging; see configure_logging
        debug=False,
    )
    declare_security(app)
    return app
