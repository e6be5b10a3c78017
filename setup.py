"""Build fastcore: the Cython core when possible, a pure-Python install otherwise.

Every ``fastcore/_NAME.pyx`` becomes the extension module ``fastcore._NAME``.
Compiling is optional: without Cython or without a working C compiler the
build prints a warning and carries on, and ``fastcore._core`` then selects
the pure-Python mirror in ``fastcore_py`` at import time. Everything else
(metadata, dependencies, packages) lives in pyproject.toml.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

FALLBACK_WARNING = "fastcore: building without the compiled core, falling back to pure Python"

COMPILER_DIRECTIVES = {
    "language_level": 3,
    # Cython functions behave like Python ones (signatures, __module__), so
    # both cores look alike to introspection and to the parity tests.
    "binding": True,
    "boundscheck": False,
    "wraparound": False,
}


def core_extensions() -> list[Extension]:
    """One extension per fastcore/_NAME.pyx, named fastcore._NAME."""
    # Paths are relative because setuptools rejects absolute source paths;
    # PEP 517 front ends run this file from the project root.
    return [
        Extension(f"fastcore.{pyx.stem}", [pyx.as_posix()])
        for pyx in sorted(Path("fastcore").glob("_*.pyx"))
    ]


def warn(reason: object) -> None:
    bar = "*" * len(FALLBACK_WARNING)
    print(f"\n{bar}\n{FALLBACK_WARNING}\nreason: {reason}\n{bar}\n", file=sys.stderr, flush=True)


class OptionalBuildExt(build_ext):
    """build_ext that cythonizes lazily and never fails the whole install.

    Cythonizing here rather than at the top of this file keeps Cython out of
    metadata-only steps (egg_info, sdist), and catching every error here is
    what lets a machine without a compiler still get a working install.
    """

    def run(self) -> None:
        if not self.extensions:
            return
        inplace = self.inplace  # editable installs build in place; run() resets the flag
        try:
            from Cython.Build import cythonize

            generated = cythonize(
                self.extensions,
                compiler_directives=COMPILER_DIRECTIVES,
                include_path=["."],
                quiet=True,
            )
            # Point the existing Extension objects at the generated C: setuptools
            # has already attached its own bookkeeping to them in finalize_options.
            by_name = {ext.name: ext for ext in generated}
            for ext in self.extensions:
                ext.sources = by_name[ext.name].sources
                ext.depends = by_name[ext.name].depends
            super().run()
        except Exception as exc:  # no Cython, no compiler, a bad .pyx: all fall back
            warn(f"{type(exc).__name__}: {exc}")
            if inplace:
                self.remove_inplace_modules()
            # Report no outputs, so that wheel and editable installs do not look
            # for modules that were never built.
            self.extensions = []

    def remove_inplace_modules(self) -> None:
        """Delete compiled modules left in the source tree by an earlier build.

        Otherwise an editable install whose rebuild failed would keep importing
        the old compiled core, which no longer matches its .pyx source.
        """
        for ext in self.extensions:
            stale = Path(self.get_ext_filename(self.get_ext_fullname(ext.name)))
            if stale.exists():
                print(f"fastcore: removing stale {stale}", file=sys.stderr)
                stale.unlink()


setup(ext_modules=core_extensions(), cmdclass={"build_ext": OptionalBuildExt})
