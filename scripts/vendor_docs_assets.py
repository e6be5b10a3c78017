"""Download, verify and (re)write the Swagger UI and ReDoc assets vendored in fastcore.

fastcore serves the ``/docs`` and ``/redoc`` pages from files shipped in the
package (``fastcore/openapi/static/``) instead of a CDN, so the pages work
without internet access. Those files come unmodified from the npm registry
tarballs pinned below; this script is the only way they should change.

Usage (standard library only, needs access to registry.npmjs.org):

    python scripts/vendor_docs_assets.py             # verify: exit 1 unless the files on disk
                                                     # are byte for byte the pinned tarballs'
    python scripts/vendor_docs_assets.py --write     # rewrite them and static/VENDORED.md

To move to another release, name it, then pin the printed sha256 in ``PINS``:

    python scripts/vendor_docs_assets.py --write --version swagger-ui-dist=5.36.0

FastAPI's default CDN URLs follow the major versions (``swagger-ui-dist@5``,
``redoc@2``); stay on those majors so the pages behave as FastAPI's do.
Every download is checked against the registry's own ``dist.integrity``
(sha512) and, for a pinned version, against the sha256 recorded here.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
STATIC_DIR = Path(__file__).resolve().parent.parent / "fastcore" / "openapi" / "static"
RECORD = STATIC_DIR / "VENDORED.md"


@dataclass(frozen=True)
class Package:
    """One npm package and the files taken from its tarball into ``static/<folder>/``."""

    name: str
    licence: str
    folder: str
    # Paths inside the tarball (below its top-level ``package/``); stored under their base name.
    files: tuple[str, ...]
    purpose: str


PACKAGES = (
    Package(
        name="swagger-ui-dist",
        licence="Apache-2.0",
        folder="swagger-ui",
        files=(
            "swagger-ui-bundle.js",
            "swagger-ui.css",
            "oauth2-redirect.js",
            "favicon-32x32.png",
            "LICENSE",
            "NOTICE",
            "swagger-ui-bundle.js.LICENSE.txt",
        ),
        purpose=(
            "`/docs`: the bundle and stylesheet; `oauth2-redirect.js` is inlined into the "
            "page served at `/docs/oauth2-redirect`; the favicon is used by both pages"
        ),
    ),
    Package(
        name="redoc",
        licence="MIT",
        folder="redoc",
        files=(
            "bundles/redoc.standalone.js",
            "bundles/redoc.standalone.js.LICENSE.txt",
            "LICENSE",
        ),
        purpose="`/redoc`: the standalone bundle (its web worker is inlined in it)",
    ),
)

# name -> (version, sha256 of the registry tarball)
PINS = {
    "swagger-ui-dist": (
        "5.35.0",
        "1b8e891893404ea4c3558b6a87e2a3e494e7eedba41168c2ece5800a391a6ea6",
    ),
    "redoc": (
        "2.5.4",
        "44922df4d0eb45c1b066c09ec251e6bd9bd7ded16bc69e87613337b9d911a56e",
    ),
}


@dataclass(frozen=True)
class Release:
    """A downloaded and verified tarball, with the files fastcore takes from it."""

    package: Package
    version: str
    tarball_url: str
    tarball_sha256: str
    files: dict[str, bytes]  # base name -> content


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        data: bytes = response.read()
    return data


def download(package: Package, version: str) -> Release:
    metadata = json.loads(fetch(f"{REGISTRY}/{package.name}/{version}"))
    if metadata.get("license") != package.licence:
        raise SystemExit(
            f"{package.name}@{version}: licence is {metadata.get('license')!r}, "
            f"expected {package.licence!r}: review it before vendoring"
        )
    url = metadata["dist"]["tarball"]
    tarball = fetch(url)

    algorithm, _, expected = metadata["dist"]["integrity"].partition("-")
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(tarball).digest()).decode() != (
        expected
    ):
        raise SystemExit(f"{url}: does not match the registry's integrity {algorithm}")
    sha256 = hashlib.sha256(tarball).hexdigest()
    pinned_version, pinned_sha256 = PINS[package.name]
    if version == pinned_version and sha256 != pinned_sha256:
        raise SystemExit(f"{url}: sha256 {sha256}, pinned {pinned_sha256}")

    files = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member_path in package.files:
            # Read by exact name, never extract: nothing in the tarball chooses a path on disk.
            member = archive.extractfile(f"package/{member_path}")
            if member is None:
                raise SystemExit(f"{url}: {member_path} is not a regular file")
            files[Path(member_path).name] = member.read()
    return Release(package, version, url, sha256, files)


def render_record(releases: list[Release]) -> str:
    lines = [
        "# Vendored documentation assets",
        "",
        "FastAPI's `/docs` (Swagger UI) and `/redoc` pages load their JavaScript and CSS from",
        "cdn.jsdelivr.net. fastcore serves the same builds from this directory, mounted at",
        "`/_fastcore/static` (see `fastcore/openapi/docs.py`), so the pages work offline.",
        "",
        "The files are copied unmodified from the npm registry tarballs below. Do not edit",
        "them, or this file, by hand: `python scripts/vendor_docs_assets.py` checks them against",
        "the registry and `--write` regenerates them (and this record); the script says how to",
        "move to a new release. The versions are the newest releases of the major versions",
        "that FastAPI's CDN URLs name (`swagger-ui-dist@5`, `redoc@2`) at the time of",
        "vendoring.",
        "",
        "Each folder carries its package's `LICENSE` (and `NOTICE`, for Apache-2.0), and the",
        "`*.LICENSE.txt` file that the bundle's first line refers to for the third-party code",
        "bundled into it.",
        "",
    ]
    for release in releases:
        package = release.package
        lines += [
            f"## {package.name} {release.version} ({package.licence})",
            "",
            f"- Used for: {package.purpose}.",
            f"- Tarball: {release.tarball_url}",
            f"- Tarball sha256: `{release.tarball_sha256}`",
            f"- Folder: `{package.folder}/`",
            "",
            "| file | from the tarball | bytes | sha256 |",
            "| --- | --- | ---: | --- |",
        ]
        for member_path in package.files:
            name = Path(member_path).name
            content = release.files[name]
            digest = hashlib.sha256(content).hexdigest()
            lines.append(
                f"| `{package.folder}/{name}` | `package/{member_path}` | {len(content)} "
                f"| `{digest}` |"
            )
        lines.append("")
    return "\n".join(lines)


def expected_files(releases: list[Release]) -> dict[Path, bytes]:
    wanted = {RECORD: render_record(releases).encode()}
    for release in releases:
        for name, content in release.files.items():
            wanted[STATIC_DIR / release.package.folder / name] = content
    return wanted


def parse_versions(pairs: list[str]) -> dict[str, str]:
    versions = {name: version for name, (version, _) in PINS.items()}
    for pair in pairs:
        name, sep, version = pair.partition("=")
        if not sep or name not in versions:
            raise SystemExit(f"--version {pair!r}: expected NAME=VERSION, NAME one of {PINS}")
        versions[name] = version
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the vendored files")
    parser.add_argument(
        "--version",
        action="append",
        default=[],
        metavar="NAME=VERSION",
        help="use this release instead of the pinned one (then pin its sha256 in PINS)",
    )
    args = parser.parse_args(argv)
    versions = parse_versions(args.version)

    releases = [download(package, versions[package.name]) for package in PACKAGES]
    for release in releases:
        print(f"{release.package.name} {release.version}: sha256 {release.tarball_sha256}")
        if (release.version, release.tarball_sha256) != PINS[release.package.name]:
            print(
                f"  not the pinned release: set PINS[{release.package.name!r}] = "
                f"({release.version!r}, {release.tarball_sha256!r})"
            )
    wanted = expected_files(releases)

    if args.write:
        for path, content in wanted.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        print(f"wrote {len(wanted)} files under {STATIC_DIR}")
        return 0

    stale = [path for path, content in wanted.items() if _read(path) != content]
    for path in stale:
        print(f"differs from the registry: {path.relative_to(STATIC_DIR)}")
    if stale:
        print("run with --write to restore the vendored files")
        return 1
    print(f"all {len(wanted)} vendored files match the registry")
    return 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
