"""The mails of an alert subscription (French, text + HTML): the confirmation asked for by
double opt-in, the weekly digest and the deadline reminder, both with their unsubscribe headers
(RFC 2369, RFC 8058).

They carry the subscription's key in their links, which the database keeps only as a hash:
they are rendered when queued, and the outbox sends them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from urllib.parse import quote, urlencode

from form_service.alerts.digest import Digest, Item
from form_service.alerts.filters import REMINDERS, Filters
from form_service.outbox.blocks import Block
from form_service.outbox.envelope import envelope
from generator.content import urls
from generator.content.vocabularies import date_fr

PATH = "/alertes"
UNCONFIRMED_DAYS = 7  # an unconfirmed subscription is erased after this many days
# Long header lines are allowed (RFC 5322: 998): a List-Unsubscribe URL folded right after
# its colon trips some parsers.
HEADERS = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Links:
    """The absolute links of one subscription, with one of its keys."""

    site_url: str
    subscription: str  # id
    key: str

    def _url(self, suffix: str = "") -> str:
        query = urlencode({"cle": self.key})
        return f"{self.site_url}{PATH}/{self.subscription}{suffix}?{query}"

    @property
    def manage(self) -> str:
        """Confirms the subscription (first visit) and shows its filters to change them."""
        return self._url()

    @property
    def unsubscribe(self) -> str:
        """GET: a page with one button; POST (RFC 8058 one-click, or that button): erases."""
        return self._url("/desabonnement")


@dataclass(frozen=True)
class Envelope:
    sender: str  # AIDESS_MAIL_FROM
    recipient: str
    message_id: str
    created: float  # Unix time: the Date header
    unsubscribe_mailto: str  # address a person reads, for mail clients that only do mailto


def _message(env: Envelope, subject: str, blocks: list[Block]) -> EmailMessage:
    return envelope(
        message_id=env.message_id, date=datetime.fromtimestamp(env.created, UTC),
        sender=env.sender, to=env.recipient, subject=subject, blocks=blocks,
    )  # fmt: skip


def _filters(filters: Filters) -> Block:
    return Block("dl", rows=filters.describe())


def confirmation(
    env: Envelope, links: Links, filters: Filters, already_confirmed: bool = False
) -> bytes:
    """The double opt-in mail (or, for a subscription already confirmed that is asked for
    again, its links)."""
    if already_confirmed:
        subject = "Votre alerte AidESS est déjà active"
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                "Une alerte avec ces critères est déjà active pour cette adresse : vous "
                "recevez chaque lundi les nouvelles aides qui y correspondent"
                + (f", et {REMINDERS}." if filters.echeances else "."),
            ),
            _filters(filters),
            Block(
                "ul",
                rows=[
                    ("Modifier mes critères", links.manage),
                    ("Me désabonner", links.unsubscribe),
                ],
            ),
        ]
    else:
        subject = "Confirmez votre alerte AidESS"
        blocks = [
            Block("p", "Bonjour,"),
            Block(
                "p",
                "Vous avez demandé à recevoir par courriel, chaque lundi, les nouvelles aides "
                "d'AidESS qui correspondent à ces critères"
                + (f", et {REMINDERS} :" if filters.echeances else " :"),
            ),
            _filters(filters),
            Block("p", "Pour confirmer, ouvrez ce lien :"),
            Block("ul", rows=[("Confirmer mon alerte", links.manage)]),
            Block(
                "p",
                "Sans confirmation sous 7 jours, votre adresse est effacée et vous ne recevrez "
                "rien. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
            ),
        ]
    return _message(env, subject, blocks).as_bytes(policy=HEADERS)


def _dates(item: Item) -> str:
    aid = item.aid
    parts = []
    if aid.ouverture and item.reason in ("session", "dates"):
        parts.append(f"ouverture le {date_fr(aid.ouverture)}")
    if aid.cloture:
        parts.append(f"clôture le {date_fr(aid.cloture)}")
    elif aid.recurrence == "permanente":
        parts.append("sans date limite")
    if aid.recurrence == "recurrente" and aid.periode and item.reason != "session":
        parts.append(f"session récurrente : {aid.periode}")
    return f"{aid.titre} ({', '.join(parts)})" if parts else aid.titre


def digest_subject(digest: Digest) -> str:
    count = len(digest.items) + digest.more
    return f"AidESS : {count} aide{'s' if count > 1 else ''} pour votre veille"


def digest(env: Envelope, links: Links, filters: Filters, content: Digest) -> bytes:
    """The weekly digest: one link per aid, grouped by reason, the filters recalled, links to
    change them and to unsubscribe, and the List-Unsubscribe headers."""
    site = links.site_url
    blocks = [
        Block("p", "Bonjour,"),
        Block("p", "Voici ce qui a changé cette semaine dans les aides qui vous correspondent."),
    ]
    for title, items in content.sections():
        blocks.append(Block("h", title))
        blocks.append(Block("ul", rows=[(_dates(i), site + urls.aide(i.aid.slug)) for i in items]))
    search = site + filters.search_path()
    if content.more:
        more = f"… et {content.more} autre{'s' if content.more > 1 else ''} sur le site"
        blocks.append(Block("ul", rows=[(more, search)]))
    blocks += [
        Block("h", "Vos critères"),
        _filters(filters),
        Block(
            "ul",
            rows=[
                ("Toutes les aides ouvertes pour ces critères", search),
                ("Modifier mes critères", links.manage),
                ("Se désabonner", links.unsubscribe),
            ],
        ),
        Block(
            "p",
            "Vous recevez ce courriel parce que vous avez confirmé une alerte sur AidESS. "
            "Se désabonner efface votre adresse.",
        ),
    ]
    return _with_unsubscribe(_message(env, digest_subject(content), blocks), env, links)


def _with_unsubscribe(msg: EmailMessage, env: Envelope, links: Links) -> bytes:
    """The mail with its List-Unsubscribe headers (https one-click, and mailto)."""
    mailto = f"mailto:{env.unsubscribe_mailto}?subject=" + quote(
        f"desabonnement {links.subscription}"
    )
    msg["List-Unsubscribe"] = f"<{links.unsubscribe}>, <{mailto}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    domain = env.sender.rpartition("@")[2]
    msg["List-Id"] = f"Alertes AidESS <alertes.{domain}>"
    return msg.as_bytes(policy=HEADERS)


def days_left(days: int) -> str:
    """« aujourd'hui », « demain », « dans 15 jours »."""
    if days <= 0:
        return "aujourd'hui"
    return "demain" if days == 1 else f"dans {days} jours"


def reminder_subject(titre: str, days: int) -> str:
    return f"Clôture {days_left(days)} : {titre}"


def reminder(
    env: Envelope, links: Links, filters: Filters, slug: str, titre: str, deadline: date,
    days: int,
) -> bytes:  # fmt: skip
    """« Prévenir 15 jours avant la clôture »: one mail for one aid's deadline."""
    site = links.site_url
    blocks = [
        Block("p", "Bonjour,"),
        Block(
            "p",
            f"L'aide « {titre} », qui correspond à votre alerte, clôture le "
            f"{date_fr(deadline)} ({days_left(days)}).",
        ),
        Block("ul", rows=[("Voir l'aide et comment la demander", site + urls.aide(slug))]),
        Block("h", "Vos critères"),
        _filters(filters),
        Block(
            "ul",
            rows=[
                ("Modifier mes critères ou arrêter ces rappels", links.manage),
                ("Se désabonner", links.unsubscribe),
            ],
        ),
        Block(
            "p",
            "Vous recevez ce courriel parce que votre alerte AidESS demande à être prévenue 15 "
            "jours avant la clôture des aides qui vous correspondent : un courriel par date "
            "limite. Se désabonner efface votre adresse.",
        ),
    ]
    return _with_unsubscribe(_message(env, reminder_subject(titre, days), blocks), env, links)
