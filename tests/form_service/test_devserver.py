from __future__ import annotations

import re
from pathlib import Path

import httpx

from form_service.devserver import running
from tests.form_service.form_support import valid_form

FORM_PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><title>Être rappelé</title></head><body>'
    '<!--aidess-form--><form action="/demandes"></form><!--/aidess-form--></body></html>'
)


def _site(root: Path) -> Path:
    (root / "demande" / "envoyee").mkdir(parents=True)
    (root / "index.html").write_text("<h1>AidESS</h1>", encoding="utf-8")
    (root / "demande" / "index.html").write_text(FORM_PAGE, encoding="utf-8")
    (root / "demande" / "envoyee" / "index.html").write_text("Merci", encoding="utf-8")
    return root


def test_whole_product_on_loopback(tmp_path: Path, content: Path) -> None:
    site = _site(tmp_path / "site")
    with running(content, site, tmp_path / "var", env={}) as stack:
        assert stack.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=stack.url, follow_redirects=True) as browser:
            assert "AidESS" in browser.get("/").text
            assert browser.get("/sante").json() == {"etat": "ok"}
            answer = browser.post("/demandes", data=valid_form(), headers={"Origin": stack.url})
            assert answer.status_code == 200
            # The confirmation is the requester's dossier page, with its reference.
            assert str(answer.url).startswith(stack.url + "/dossiers/")
            assert "Demande envoyée" in answer.text and "AID-" in answer.text
            assert answer.headers["referrer-policy"] == "same-origin"
            mails = stack.sink.wait_for(2)
            listing = browser.get("/dev/courriels").text
            assert "Courriels reçus (2)" in listing
            assert "Demande de rappel AID-" in listing
            links = re.findall(r'href="(/dev/courriels/\d+)"', listing)
            view = browser.get(links[0]).text
            assert "Version texte" in view and "Message-ID" in view
            assert browser.get(links[0] + ".eml").headers["content-type"] == "message/rfc822"
            assert browser.get("/dev/courriels/123").status_code == 404
            # The dossier links in the mails work on the same machine.
            for link in links:
                found = re.search(r'href="' + re.escape(stack.url) + r'(/dossiers/[^"]+)"',
                                  browser.get(link).text)  # fmt: skip
                assert found, "lien du dossier absent du courriel"
                page = browser.get(found.group(1).replace("&amp;", "&"))
                assert page.status_code == 200 and "AID-" in page.text
            invalid = browser.post(
                "/demandes", data=valid_form(email="x"), headers={"Origin": stack.url}
            )
            assert invalid.status_code == 422
            assert "<title>Erreurs – Être rappelé</title>" in invalid.text
    assert len(mails) == 2
    assert len(list((tmp_path / "var" / "courriels").glob("*.eml"))) == 2
    assert (tmp_path / "var" / "aidess.sqlite3").exists()
