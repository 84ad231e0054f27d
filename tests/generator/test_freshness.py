"""`aidess fraicheur`'s rules, as tables of cases (docs/interfaces.md §9)."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from aidess.cli import main
from generator.content.catalog import load
from generator.enrich import enrich
from generator.freshness import Fiche, checks, months_before, select, table
from generator.freshness_content import page
from tests.conftest import WriteFile

TODAY = date(2026, 12, 1)


def aide(
    mise_a_jour: date = date(2026, 11, 1),
    recurrence: str = "permanente",
    cloture: date | None = None,
    statut: str = "ouverte",
    slug: str = "aide",
    session: date | None = None,
) -> Fiche:
    if session is None and recurrence == "recurrente":
        session = cloture
    return Fiche(
        "aide", slug, f"Aide {slug}", Path(f"content/aides/{slug}.md"), mise_a_jour,
        recurrence, cloture, statut, session,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 1), 12, date(2025, 12, 1)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2028, 3, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 5, 10), 6, date(2025, 11, 10)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


@pytest.mark.parametrize(
    ("fiche", "months", "reasons"),
    [
        # Checked recently: nothing to do.
        (aide(), 12, []),
        # Last check exactly 12 months ago is still fresh; one day more is not.
        (aide(mise_a_jour=date(2025, 12, 1)), 12, []),
        (aide(mise_a_jour=date(2025, 11, 30)), 12, ["ancienne"]),
        # --mois 6 is stricter.
        (aide(mise_a_jour=date(2026, 5, 31)), 6, ["ancienne"]),
        (aide(mise_a_jour=date(2026, 6, 1)), 6, []),
        # A one-off aid closed 90 days ago stays; 91 days → to archive (once, not also stale).
        (aide(recurrence="ponctuelle", cloture=date(2026, 9, 2), statut="cloturee"), 12, []),
        (
            aide(recurrence="ponctuelle", cloture=date(2026, 9, 1), statut="cloturee"),
            12,
            ["a-archiver"],
        ),
        (
            aide(
                mise_a_jour=date(2024, 1, 1),
                recurrence="ponctuelle",
                cloture=date(2024, 3, 1),
                statut="cloturee",
            ),
            12,
            ["a-archiver"],
        ),
        # A permanent aid past its deadline is closed, but not a one-off to archive.
        (aide(recurrence="permanente", cloture=date(2026, 1, 1), statut="cloturee"), 12, []),
        # A recurring call waiting for its new session (dates passed, or none known).
        (
            aide(recurrence="recurrente", cloture=date(2026, 3, 1), statut="a-confirmer"),
            12,
            ["nouvelle-session"],
        ),
        (aide(recurrence="recurrente", statut="a-confirmer"), 12, ["nouvelle-session"]),
        (
            aide(recurrence="recurrente", session=date(2025, 3, 1), statut="a-confirmer"),
            12,
            ["nouvelle-session"],
        ),
        # Stale and waiting for its session: re-checked first (reading the source does both).
        (
            aide(mise_a_jour=date(2025, 1, 1), recurrence="recurrente", statut="a-confirmer"),
            12,
            ["ancienne"],
        ),
        # A recurring call whose session is open needs nothing.
        (aide(recurrence="recurrente", cloture=date(2027, 3, 1), statut="ouverte"), 12, []),
        # A network has only its last check.
        (
            Fiche("reseau", "dla", "DLA", Path("content/reseaux/dla.md"), date(2025, 1, 1)),
            12,
            ["ancienne"],
        ),
    ],
)
def test_checks(fiche: Fiche, months: int, reasons: list[str]) -> None:
    assert [a.raison for a in checks(fiche, TODAY, months)] == reasons


def test_select_orders_by_reason_then_oldest() -> None:
    fiches = [
        aide(mise_a_jour=date(2025, 6, 1), slug="vieille"),
        aide(mise_a_jour=date(2024, 6, 1), slug="tres-vieille"),
        aide(recurrence="ponctuelle", cloture=date(2026, 1, 1), statut="cloturee", slug="finie"),
        aide(recurrence="recurrente", cloture=date(2026, 3, 1), statut="a-confirmer", slug="rec"),
        aide(slug="fraiche"),
    ]
    assert [(a.raison, a.fiche.slug) for a in select(fiches, TODAY)] == [
        ("ancienne", "tres-vieille"),
        ("ancienne", "vieille"),
        ("nouvelle-session", "rec"),
        ("a-archiver", "finie"),
    ]


def test_recurring_calls_come_by_their_oldest_last_session() -> None:
    """No dated session first (least recently checked first), then the oldest session."""

    def rec(slug: str, **facts: date) -> Fiche:
        return aide(slug=slug, recurrence="recurrente", statut="a-confirmer", **facts)

    fiches = [
        rec("session-2025", session=date(2025, 3, 1)),
        rec("session-2018", session=date(2018, 2, 28)),
        rec("inconnue-recente", mise_a_jour=date(2026, 11, 20)),
        rec("inconnue", mise_a_jour=date(2026, 1, 5)),
        rec("passee", cloture=date(2024, 1, 1)),
        aide(slug="vieille", mise_a_jour=date(2025, 6, 1)),
    ]
    items = select(fiches, TODAY)
    assert [a.fiche.slug for a in items] == [
        "vieille", "inconnue", "inconnue-recente", "session-2018", "passee", "session-2025",
    ]  # fmt: skip
    assert items[3].detail == (
        "dernière session connue close le 28/02/2018 : indiquez les dates de la nouvelle session"
    )
    assert items[1].detail.startswith("aucune session datée connue")


def test_table_names_each_file_and_counts() -> None:
    items = select(
        [
            aide(mise_a_jour=date(2025, 6, 1), slug="vieille"),
            aide(recurrence="ponctuelle", cloture=date(2026, 1, 1), statut="cloturee", slug="fin"),
        ],
        TODAY,
    )
    text = table(items)
    lines = text.splitlines()
    assert lines[0].split() == ["À", "faire", "Fichier", "Titre", "Détail"]
    assert "content/aides/vieille.md" in lines[2] and "vérifiée le 01/06/2025" in lines[2]
    assert "content/aides/fin.md" in lines[3] and "À archiver" in lines[3]
    assert "clôturée le 01/01/2026, il y a 334 jours" in lines[3]
    assert lines[-1] == (
        "2 point(s) à revérifier (à revérifier : 1, nouvelle session : 0, à archiver : 1)"
    )


def test_table_when_everything_is_fresh() -> None:
    assert table([]) == "Rien à revérifier : tout le contenu est à jour."


def test_command_lists_what_to_recheck(
    content: Path, write: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    today = date.today()
    write("aide", "fraiche", mise_a_jour=str(today))
    write("aide", "vieille", mise_a_jour=str(today - timedelta(days=400)))
    write(
        "aide", "finie", recurrence="ponctuelle", cloture=str(today - timedelta(days=120)),
        mise_a_jour=str(today - timedelta(days=130)),
    )  # fmt: skip
    write(
        "aide", "annuelle", recurrence="recurrente", periode="chaque année, au printemps",
        derniere_session={"cloture": "2024-03-31"},
    )  # fmt: skip
    write(
        "aide", "sans-date", recurrence="recurrente", periode="chaque année",
        derniere_session="inconnue",
    )  # fmt: skip
    write("reseau", "ancien", mise_a_jour=str(today - timedelta(days=800)))
    assert main(["fraicheur", "--content", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    # Stalest first: the oldest checks, then the sessions to find (undated, then oldest).
    assert "ancien.md" in out[2] and "vieille.md" in out[3]
    assert "sans-date.md" in out[4] and "aucune session datée connue" in out[4]
    assert "annuelle.md" in out[5] and "close le 31/03/2024" in out[5]
    assert "finie.md" in out[6] and "il y a 120 jours" in out[6]
    assert out[-1].startswith("5 point(s) à revérifier")
    # --mois 1: the aid checked 130 days ago is to archive, not also stale; others unchanged.
    assert main(["fraicheur", "--content", str(content), "--mois", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("5 point(s)")


def test_command_on_fresh_content(
    content: Path, write: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    write("aide", "fraiche", mise_a_jour=str(date.today()))
    assert main(["fraicheur", "--content", str(content)]) == 0
    assert capsys.readouterr().out.strip() == "Rien à revérifier : tout le contenu est à jour."


def test_page_groups_the_records_with_their_files(content: Path, write: WriteFile) -> None:
    today = date.today()
    write("aide", "vieille", titre="Vieille aide", mise_a_jour=str(today - timedelta(days=400)))
    write(
        "aide", "annuelle", recurrence="recurrente", periode="chaque année",
        derniere_session={"ouverture": "2024-01-10", "cloture": "2024-03-01"},
    )  # fmt: skip
    catalog, _ = load(content, today)
    spec = page(enrich(catalog, today))
    assert spec.url == "/contribuer/a-verifier/"
    html = spec.before
    assert "2 fiches demandent l'attention des éditeurs" in html
    assert (
        '<a href="/aides/vieille/">Vieille aide</a></td><td><code>content/aides/vieille.md' in html
    )
    assert "Aides ponctuelles clôturées depuis plus de 90 jours, à archiver (0)" in html
    sections = html.split("<h2")
    # Stalest first: the records not checked for longest, then the sessions to find.
    assert "vieille.md" in sections[1] and "annuelle.md" in sections[2]
    assert "dernière session connue close le 01/03/2024" in sections[2]
