"""A built page answered at another URL (form_service/web/site_shell.py `rooted`): its links
lead where they lead on the site."""

from __future__ import annotations

import pytest

from form_service.web.site_shell import rooted

PATH = "/contribuer/proposer/"


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ('href="../"', 'href="/contribuer/"'),  # the parent page, not the root
        ('href="./"', 'href="/contribuer/proposer/"'),
        ('href="../.."', 'href="/"'),
        ('src="../../assets/aidess/communes.1a2b.js"', 'src="/assets/aidess/communes.1a2b.js"'),
        ('href="#prop-titre"', 'href="#prop-titre"'),  # an error's link stays on the page
        ('href="/donnees/#propositions"', 'href="/donnees/#propositions"'),
        ('href="https://www.service-public.fr/"', 'href="https://www.service-public.fr/"'),
        ('href="mailto:contact@aidess.fr"', 'href="mailto:contact@aidess.fr"'),
    ],
)
def test_links_lead_where_they_do_on_the_site(link: str, expected: str) -> None:
    assert rooted(f"<a {link}>x</a>", PATH) == f"<a {expected}>x</a>"
