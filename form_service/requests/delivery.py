"""How the outbox renders a callback request's mails (owner « demande »), at send time, from
the stored request: the networks' mails, the acknowledgment (which says where each network's
mail stands), and the fallback's. Registered with the outbox worker by the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from form_service.db.database import Connection, Database
from form_service.outbox import queries as outbox
from form_service.outbox.mailer import PermanentError
from form_service.outbox.queries import Mail, Row
from form_service.requests import emails
from form_service.requests.mail_plan import Queued
from form_service.requests.queries import OWNER, STORED_COLUMNS, Stored, stored

# The region's measured figure said after the promise: (connection, department, as of that
# Unix time) -> the sentence, or None. The dossiers compute it; the app hands it over (they
# sit above the requests).
Figure = Callable[[Connection, str, float], str | None]


@dataclass(frozen=True)
class RequestMails:
    """The renderer of the outbox rows of owner « demande » queued without their message."""

    db: Database
    sender: str
    site_url: str = ""  # for the dossier links in the emails
    fallback: str | None = None  # where a request goes when a network's mail fails for good
    figure: Figure | None = None  # said in the acknowledgment, as of its request

    def _load(
        self, request_id: str, acknowledgment: bool
    ) -> tuple[Stored, str | None, dict[str, str], str | None]:
        columns = ", ".join(f"r.{c}" for c in STORED_COLUMNS)
        with self.db.connect() as conn:
            found = conn.execute(
                f"SELECT d.reference, {columns} FROM requests r "
                "LEFT JOIN dossiers d ON d.id = r.id WHERE r.id = ?",
                (request_id,),
            ).fetchone()
            if found is None:
                raise PermanentError("demande effacée avant l'envoi : courriel non envoyé")
            try:
                request = stored(*found[1:])
            except (KeyError, TypeError, ValueError) as exc:  # one unreadable request: its rows
                raise PermanentError(f"demande enregistrée illisible : {exc!r}") from exc
            if request is None:
                raise PermanentError("demande effacée avant l'envoi : courriel non envoyé")
            delivery, figure = {}, None
            if acknowledgment:
                delivery = outbox.statuses(conn, OWNER, request_id, "reseau")
                if self.figure is not None:
                    figure = self.figure(conn, request.submission.departement, request.created)
        return request, found[0], delivery, figure

    def render(self, row: Row) -> bytes:
        request, reference, delivery, figure = self._load(row.owner_id, row.kind == "accuse")
        context = emails.Context(
            row.owner_id, request.created, request.submission, request.snapshot, self.sender,
            self.site_url, reference, delivery, self.fallback or "", figure,
        )  # fmt: skip
        mail = Queued(row.kind, row.recipient, row.reseau, row.message_id, row.cle)
        return emails.render(context, mail)

    def hand_on(self, row: Row) -> Mail | None:
        """A network's mail failed for good: the request goes to the fallback address."""
        if row.kind != "reseau" or not self.fallback:
            return None
        with self.db.connect() as conn:
            kept = conn.execute(
                "SELECT 1 FROM requests WHERE id = ? AND personal IS NOT NULL", (row.owner_id,)
            ).fetchone()
        if kept is None:  # erased meanwhile: nothing left to hand on
            return None
        domain = self.sender.rpartition("@")[2]
        message_id = f"<{row.owner_id}.secours-{row.id}@{domain}>"
        return Mail(OWNER, row.owner_id, "secours", self.fallback, message_id, reseau=row.reseau)
