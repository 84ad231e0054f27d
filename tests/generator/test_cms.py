"""The Decap CMS configuration generated from the content model (docs/interfaces.md §9)."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cms import CmsConfigError, CmsSettings, config, write_admin
from generator.cms_fields import LABELS
from generator.content.model import Aide, Reseau
from generator.content.vocabularies import BESOINS, NATURES


def fields(cfg: dict[str, Any], collection: str) -> dict[str, dict[str, Any]]:
    found = next(c for c in cfg["collections"] if c["name"] == collection)
    return {f["name"]: f for f in found["fields"]}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    folder.mkdir()
    for name in ("decap-cms.js", "103.decap-cms.js", "x.wasm", "decap-cms.js.map", "cms.js"):
        (folder / name).write_text("// js", encoding="utf-8")
    return folder


def settings(**env: str) -> CmsSettings:
    result = CmsSettings.from_env({"AIDESS_CMS_SCRIPT": "/decap.js", **env})
    assert result is not None
    return result


def test_no_admin_without_repo() -> None:
    assert CmsSettings.from_env({}) is None
    assert CmsSettings.from_env({"AIDESS_CMS_BACKEND": "gitlab"}) is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AIDESS_CMS_BACKEND": "bitbucket"}, "AIDESS_CMS_BACKEND : « bitbucket » inconnu"),
        ({"AIDESS_CMS_REPO": "aidess"}, "n'est pas de la forme propriétaire/dépôt"),
        ({"AIDESS_CMS_BUNDLE": "/nulle/part"}, "pas de decap-cms.js dans « /nulle/part »"),
    ],
)
def test_configuration_errors_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(CmsConfigError, match=message.replace("(", r"\(")):
        CmsSettings.from_env(
            {"AIDESS_CMS_REPO": "cress/aidess", "AIDESS_CMS_SCRIPT": "/d.js", **env}
        )


def test_backends_and_editorial_workflow() -> None:
    github = config(settings(AIDESS_CMS_REPO="cress/aidess"))
    assert github["backend"]["name"] == "github"
    assert github["backend"]["repo"] == "cress/aidess"
    assert github["backend"]["branch"] == "main"
    assert github["publish_mode"] == "editorial_workflow"
    assert github["locale"] == "fr"
    gitlab = config(
        settings(
            AIDESS_CMS_REPO="cress/aidess",
            AIDESS_CMS_BACKEND="gitlab",
            AIDESS_CMS_BRANCH="contenu",
            AIDESS_CMS_APP_ID="abc",
        )
    )
    assert gitlab["backend"] | {"commit_messages": None} == {
        "name": "gitlab",
        "repo": "cress/aidess",
        "branch": "contenu",
        "auth_type": "pkce",
        "app_id": "abc",
        "commit_messages": None,
    }


def test_edit_urls() -> None:
    gh = settings(AIDESS_CMS_REPO="cress/aidess", AIDESS_CMS_BRANCH="prod")
    assert gh.edit_url("aides/fdva.md") == (
        "https://github.com/cress/aidess/edit/prod/content/aides/fdva.md"
    )
    gl = settings(AIDESS_CMS_REPO="g/p", AIDESS_CMS_BACKEND="gitlab")
    assert gl.edit_url("reseaux/x.md") == "https://gitlab.com/g/p/-/edit/main/content/reseaux/x.md"


def test_every_model_field_is_a_labelled_widget() -> None:
    cfg = config(settings(AIDESS_CMS_REPO="cress/aidess"))
    for name, model in (("aides", Aide), ("reseaux", Reseau)):
        got = fields(cfg, name)
        assert list(got) == [*model.model_fields, "body"]
        for field, widget in got.items():
            assert field == "body" or field in LABELS, f"{name}.{field} sans libellé français"
            assert widget["label"]


def test_widgets_follow_the_model() -> None:
    aides = fields(config(settings(AIDESS_CMS_REPO="cress/aidess")), "aides")
    natures = aides["natures"]
    assert natures["widget"] == "select" and natures["multiple"] is True
    assert natures["required"] is True and natures["min"] == 1
    assert natures["options"] == [{"label": v, "value": k} for k, v in NATURES.items()]
    assert {"label": "Tous les secteurs", "value": "tous"} in aides["secteurs"]["options"]
    assert aides["besoins"]["options"][0] == {"label": BESOINS["tresorerie"], "value": "tresorerie"}
    assert aides["etapes"]["required"] is False
    territoires = aides["territoires"]
    assert territoires["widget"] == "select" and territoires["multiple"] is True
    options = {o["value"]: o["label"] for o in territoires["options"]}
    assert options["FR"] == "France entière"
    assert options["REG-32"] == "Hauts-de-France"
    assert options["DEP-2A"] == "Corse-du-Sud (2A)"
    assert options["EPCI-200093201"] == "Métropole Européenne de Lille (EPCI, 59)"
    assert len(options) == 1 + 18 + 101 + 1255  # not the 34,875 communes
    for day in ("ouverture", "cloture", "mise_a_jour"):
        assert aides[day]["widget"] == "datetime" and aides[day]["time_format"] is False
        assert aides[day]["format"] == "YYYY-MM-DD"
    assert aides["mise_a_jour"]["required"] is True and aides["cloture"]["required"] is False
    assert aides["source"]["pattern"][0] == "^https://\\S+$"
    assert aides["titre"]["widget"] == "string" and aides["titre"]["required"] is True
    assert (
        aides["porteurs"]["widget"] == "list" and aides["porteurs"]["field"]["widget"] == "string"
    )
    montant = aides["montant"]
    assert montant["widget"] == "object" and montant["required"] is False
    assert [f["name"] for f in montant["fields"]] == ["min", "max", "texte"]
    assert montant["fields"][0]["widget"] == "number"
    assert aides["reseaux"]["widget"] == "relation" and aides["reseaux"]["collection"] == "reseaux"
    assert aides["body"]["widget"] == "markdown"
    reseaux = fields(config(settings(AIDESS_CMS_REPO="cress/aidess")), "reseaux")
    assert reseaux["famille"]["widget"] == "select" and "multiple" not in reseaux["famille"]
    assert reseaux["demandes"]["fields"][0]["name"] == "email"


def test_collections_are_folders_of_markdown_files() -> None:
    cfg = config(settings(AIDESS_CMS_REPO="cress/aidess"))
    aides = cfg["collections"][0]
    assert aides["folder"] == "content/aides" and aides["extension"] == "md"
    assert aides["format"] == "frontmatter" and aides["create"] is True
    assert cfg["slug"]["encoding"] == "ascii" and cfg["slug"]["clean_accents"] is True


def test_write_admin_self_hosts_decap(tmp_path: Path, dist: Path) -> None:
    cms = CmsSettings.from_env({"AIDESS_CMS_REPO": "cress/aidess", "AIDESS_CMS_BUNDLE": str(dist)})
    assert cms is not None
    admin = write_admin(tmp_path / "site", cms)
    assert sorted(p.name for p in admin.iterdir()) == [
        "103.decap-cms.js", "config.yml", "decap-cms.js", "index.html", "x.wasm",
    ]  # fmt: skip
    assert '<script src="decap-cms.js"></script>' in (admin / "index.html").read_text()
    loaded = yaml.safe_load((admin / "config.yml").read_text())
    assert loaded == config(cms)


def test_without_bundle_or_address_admin_loads_the_pinned_script(tmp_path: Path) -> None:
    cms = CmsSettings.from_env({"AIDESS_CMS_REPO": "cress/aidess"})
    assert cms is not None
    index = (write_admin(tmp_path / "site", cms) / "index.html").read_text()
    assert (
        '<script src="https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js" '
        'integrity="sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p" '
        'crossorigin="anonymous"></script>'
    ) in index
    assert sorted(p.name for p in (tmp_path / "site" / "admin").iterdir()) == [
        "config.yml", "index.html",
    ]  # fmt: skip


def test_an_address_of_its_own_has_no_pinned_hash(tmp_path: Path) -> None:
    cms = settings(AIDESS_CMS_REPO="cress/aidess", AIDESS_CMS_SCRIPT="/outils/decap.js")
    index = (write_admin(tmp_path / "site", cms) / "index.html").read_text()
    assert '<script src="/outils/decap.js"></script>' in index
