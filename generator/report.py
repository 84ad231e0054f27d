"""What `aidess validate` prints: every error first, then the warnings — each one when they are
few, summarised by kind when a kind repeats (47 provisional addresses must not hide 8 errors)."""

from __future__ import annotations

from collections import defaultdict

from generator.content.issues import Issue, errors, warnings

SUMMARY_FROM = 4  # a kind of warning seen this often is summarised
EXAMPLES = 3  # files named in a summary line

# What each repeated kind of warning means, for its summary line.
KINDS: dict[str, str] = {
    "email-provisoire": "adresse de demandes provisoire en .example, à remplacer par l'adresse "
    "réelle du réseau avant la mise en ligne",
    "adresse-provisoire": "adresse web provisoire en .example, à remplacer avant la mise en ligne",
    "a-reverifier": "fiche vérifiée il y a plus de 12 mois : revérifiez auprès de la source",
    "cloturee": "aide clôturée : elle reste publiée mais cachée par défaut",
    "session-passee": "aide récurrente dont la session connue est passée : indiquez les dates "
    "de la prochaine session",
    "session-a-venir": "dernière session connue pas encore passée : indiquez ses dates dans "
    "« ouverture » et « cloture »",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def report(issues: list[Issue], errors_only: bool = False, all_warnings: bool = False) -> list[str]:
    """The lines to print, the count last."""
    found, warned = errors(issues), warnings(issues)
    lines = [i.format() for i in found]
    if not errors_only:
        by_kind: dict[str, list[Issue]] = defaultdict(list)
        for issue in warned:
            by_kind[issue.kind].append(issue)
        if warned and found:
            lines.append("")
        for kind, group in by_kind.items():
            if all_warnings or not kind or len(group) < SUMMARY_FROM:
                lines += [i.format() for i in group]
                continue
            where = ", ".join(f"{i.path}:{i.line}" for i in group[:EXAMPLES])
            more = len(group) - EXAMPLES
            lines.append(
                f"{_plural(len(group), 'avertissement')} : {KINDS.get(kind, kind)} — {where}"
                f"{f' et {more} autres' if more > 0 else ''} (détail : --avertissements)"
            )
    lines.append(f"{len(found)} erreur(s), {len(warned)} avertissement(s)")
    return lines
