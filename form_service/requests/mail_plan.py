"""What a request's mails are made of, fixed when it is stored: the snapshot of its routing
(contacts, open aids, links: no personal data) and one queued row per mail, its Message-ID
chosen then. The mails themselves are rendered at send time (form_service/requests/emails.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from form_service.outbox.blocks import Item
from form_service.requests.aids import Match
from form_service.requests.dispatch import Choice, Routing
from generator.content.model import Reseau


@dataclass(frozen=True)
class Contact:
    """A chosen network as the emails show it: the routing's choice, and its public phone
    and site."""

    choice: Choice
    telephone: str | None = None
    site: str | None = None

    @property
    def slug(self) -> str:
        return self.choice.slug

    @property
    def nom(self) -> str:
        return self.choice.nom

    @property
    def email(self) -> str:
        return self.choice.email

    @property
    def besoins(self) -> tuple[str, ...]:
        return self.choice.besoins

    @property
    def raisons(self) -> tuple[str, ...]:
        return self.choice.raisons

    def to_dict(self) -> dict[str, object]:
        return {"choice": asdict(self.choice), "telephone": self.telephone, "site": self.site}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Contact:
        """Reads both shapes: {"choice": {...}, "telephone", "site"}, and the flat one that
        requests stored before Contact wrapped Choice still hold in `requests.mails`."""
        fields = data.get("choice", data)
        choice = Choice(
            slug=fields["slug"],
            nom=fields["nom"],
            email=fields["email"],
            besoins=tuple(fields["besoins"]),
            raisons=tuple(fields["raisons"]),
        )
        return cls(choice, telephone=data.get("telephone"), site=data.get("site"))


@dataclass(frozen=True)
class Snapshot:
    """What the emails of a request need besides the visitor's data, fixed when the request is
    stored (so a resend, even after a content change, is the same message). It holds no
    personal data: it depends only on the profile and the day."""

    contacts: tuple[Contact, ...]
    uncovered: tuple[str, ...]  # requested needs no chosen network covers
    fallback_reason: str | None
    aide: Item | None  # title and absolute URL of the aid the form came from
    matches: tuple[Item, ...]  # open aids for the profile: title, absolute URL
    search_url: str
    retention_days: int

    def to_json(self) -> str:
        return json.dumps(
            {
                "contacts": [c.to_dict() for c in self.contacts],
                "uncovered": self.uncovered,
                "fallback_reason": self.fallback_reason,
                "aide": self.aide,
                "matches": self.matches,
                "search_url": self.search_url,
                "retention_days": self.retention_days,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        contacts = tuple(Contact.from_dict(c) for c in data["contacts"])
        aide = data["aide"]
        return cls(
            contacts=contacts,
            uncovered=tuple(data["uncovered"]),
            fallback_reason=data["fallback_reason"],
            aide=(aide[0], aide[1]) if aide else None,
            matches=tuple((m[0], m[1]) for m in data["matches"]),
            search_url=data["search_url"],
            retention_days=data["retention_days"],
        )


def snapshot(
    routing: Routing,
    reseaux: Mapping[str, Reseau],
    aide: Item | None,
    matches: Sequence[Match],
    search_url: str,
    retention_days: int,
) -> Snapshot:
    contacts = []
    for c in routing.choices:
        reseau = reseaux.get(c.slug)
        contacts.append(
            Contact(
                c,
                telephone=reseau.telephone if reseau else None,
                site=str(reseau.site) if reseau and reseau.site else None,
            )
        )
    return Snapshot(
        contacts=tuple(contacts),
        uncovered=routing.uncovered,
        fallback_reason=routing.fallback_reason,
        aide=aide,
        matches=tuple((m.titre, m.url) for m in matches),
        search_url=search_url,
        retention_days=retention_days,
    )


@dataclass(frozen=True)
class Queued:
    """One email of a request as the outbox keeps it until it is sent: rendered at send time
    from the stored request, its Message-ID fixed now."""

    kind: str  # "reseau", "accuse" or "secours"
    recipient: str
    # The network's slug, for kind "reseau"; for "secours", the network whose mail failed
    # for good and whose request is handed on to the fallback address (None: no network).
    reseau: str | None
    message_id: str
    key: str | None = None  # the dossier key its link carries (cleared once sent)


def plan(
    request_id: str, snap: Snapshot, requester: str, fallback_email: str, sender: str
) -> list[Queued]:
    """One email per chosen network (or the fallback address), then the acknowledgment."""
    domain = sender.rpartition("@")[2]
    if snap.contacts:
        mails = [Queued("reseau", c.email, c.slug, "") for c in snap.contacts]
    else:
        mails = [Queued("secours", fallback_email, None, "")]
    mails.append(Queued("accuse", requester, None, ""))
    return [
        Queued(m.kind, m.recipient, m.reseau, f"<{request_id}.{n}@{domain}>")
        for n, m in enumerate(mails, start=1)
    ]
