"""Decap CMS's bundle for the admin's browser test, from its npm package: fetched once with
`npm pack` into build/decap/ (never committed), then served from loopback (no internet)."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

from generator.cms import DECAP_VERSION

VERSION = DECAP_VERSION  # the pinned version (its default script, and production's bundle)
CACHE = Path(__file__).resolve().parents[2] / "build" / "decap"


def dist() -> Path:
    """Decap's dist/ folder (without source maps), fetched if not cached yet."""
    target = CACHE / f"decap-cms-{VERSION}" / "dist"
    if (target / "decap-cms.js").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm est nécessaire pour récupérer decap-cms (apt-get install npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "pack", f"decap-cms@{VERSION}", "--pack-destination", str(CACHE), "--silent"],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    tarball = CACHE / f"decap-cms-{VERSION}.tgz"
    partial = target.with_name("dist.partiel")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/dist/")
            wanted = name != member.name and "/" not in name and not name.endswith(".map")
            if member.isfile() and wanted:
                source = archive.extractfile(member)
                assert source is not None
                (partial / name).write_bytes(source.read())
    partial.rename(target)
    tarball.unlink()
    return target
