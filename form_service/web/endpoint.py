"""What a form endpoint does around its own checks (POST /demandes, /signalements,
/propositions): read the post through the intake pipeline, then run its one transaction within
the database's deadline; a refused post, a full quota and a busy database get the same French
answers everywhere, each in the endpoint's own look.

Each step returns what the endpoint goes on with, or the Response that ends it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from form_service.db.database import Database, DatabaseError
from form_service.db.quotas import RateLimited
from form_service.settings import Settings
from form_service.web import intake
from form_service.web.abuse import RateLimiter

log = logging.getLogger("aidess.intake")
T = TypeVar("T")

# The endpoint's page for a refused post: (answer in JSON, why) -> its answer.
Refusal = Callable[[bool, intake.Refused], Response]


@dataclass(frozen=True)
class Endpoint:
    form: intake.Form
    refusal: Refusal

    async def read(
        self, request: Request, settings: Settings, limiter: RateLimiter | None
    ) -> intake.Intake | Response:
        """The post's fields, or the answer to a post refused before its own checks (fields
        no person sends: 422 with the errors by field in JSON)."""
        try:
            return await intake.read(
                request, self.form, allowed_origins=settings.allowed_origins, limiter=limiter,
                timeout=settings.body_timeout,
            )  # fmt: skip
        except intake.Refused as exc:
            return self.refusal(intake.wants_json(request), exc)
        except intake.Invalid as exc:
            if intake.wants_json(request):
                return JSONResponse({"erreurs": exc.errors}, 422)
            return self.refusal(False, exc.refused())

    async def store(
        self, db: Database, as_json: bool, work: Callable[..., T], *args: object
    ) -> T | Response:
        """`work(*args)`'s result (its transaction committed), or 429 past the client's quota,
        or 503 when the database did not answer in time: nothing was written."""
        try:
            return await db.run(work, *args)
        except RateLimited as exc:
            return self.refusal(as_json, intake.too_many(self.form.noun, exc.retry_after))
        except DatabaseError:
            log.error("%s : base occupée, refusé (503), rien n'est enregistré", self.form.name)
            return self.refusal(as_json, intake.busy())
