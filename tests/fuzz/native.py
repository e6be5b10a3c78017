"""Coverage of the compiled core itself: an instrumented build, loaded in place of the real one.

Atheris sees Python bytecode only; the compiled core is C. With clang (any
version that ships libFuzzer, e.g. Debian's ``clang-14``) this module builds,
into the fuzz work directory and never over the tree's own modules:

* ``fastcore/_routing`` and ``fastcore/_params`` from their ``.pyx``,
  cythonized as usual and compiled with ``-fsanitize=fuzzer-no-link``, which
  adds libFuzzer's edge counters and comparison hooks to the C code;
* a runtime: clang's libFuzzer without its ``main``, loaded globally before
  atheris, so that atheris and the instrumented modules report to one and
  the same libFuzzer (atheris then uses it instead of its private copy).

``load`` must run before anything imports atheris or the compiled core; it
puts the instrumented modules into ``sys.modules`` under their real names.
Builds are cached by a hash of their inputs. Without clang the fuzzer still
runs, guided by the coverage of the pure mirror, whose logic is the same.

With ``address_sanitizer`` the modules are also built with AddressSanitizer,
which stops at the first out-of-bounds access or use after free in the C
code (the core is compiled without bounds checks). ASan's runtime must then
be in the process from its start, so the runtime built is ASan and libFuzzer
linked into one library (libFuzzer's coverage hooks replace ASan's empty
ones), which ``sanitizer_environment`` preloads, with Python's own allocator
off so that every object is a ``malloc`` block ASan watches.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("_routing", "_params")  # what the harnesses compare; _deps is not fuzzed here
CLANG_NAMES = ("clang", *(f"clang-{version}" for version in range(21, 13, -1)))


@dataclass(frozen=True)
class NativeBuild:
    runtime: Path  # libFuzzer (and ASan, for address_sanitizer), to load globally
    modules: dict[str, Path]  # "fastcore._routing" -> instrumented extension
    address_sanitizer: bool


def find_clang() -> str | None:
    for name in CLANG_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(command: list[str], cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _clang_library(clang: str, name: str) -> Path:
    """One of clang's runtime libraries, e.g. ``fuzzer_no_main`` -> its ``.a`` file."""
    runtime_dir = Path(_run([clang, "-print-runtime-dir"]).strip())
    library = runtime_dir / f"libclang_rt.{name}-{platform.machine()}.a"
    if not library.exists():
        raise RuntimeError(f"{clang} lacks {library.name} (in {runtime_dir})")
    return library


def _inputs_hash(clang: str, sanitizers: str) -> str:
    digest = hashlib.sha256(sanitizers.encode())
    digest.update(_run([clang, "--version"]).encode())
    digest.update(sys.version.encode())
    try:
        import Cython
    except ImportError as error:
        raise RuntimeError("Cython is not installed") from error
    digest.update(Cython.__version__.encode())
    for name in MODULES:
        for suffix in (".pyx", ".pxd"):
            source = ROOT / "fastcore" / f"{name}{suffix}"
            if source.exists():
                digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _build_module(clang: str, target: Path, name: str, sanitizers: str, output: Path) -> None:
    package = target / "fastcore"
    for suffix in (".pyx", ".pxd"):
        source = ROOT / "fastcore" / f"{name}{suffix}"
        if source.exists():
            shutil.copyfile(source, package / source.name)
    c_file = package / f"{name}.c"
    cythonize = [sys.executable, "-m", "cython", "-3", "-o", str(c_file), f"fastcore/{name}.pyx"]
    _run(cythonize, target)
    include = sysconfig.get_paths()["include"]
    _run(
        [clang, "-O1", "-g", "-fPIC", "-shared", "-w", f"-fsanitize={sanitizers}"]
        + [f"-I{include}", str(c_file), "-o", f"{output}.tmp"]
    )
    os.replace(f"{output}.tmp", output)


def _build_runtime(clang: str, runtime: Path, address_sanitizer: bool) -> None:
    libfuzzer = _clang_library(clang, "fuzzer_no_main")
    system_libraries = ["-lstdc++", "-lpthread", "-ldl", "-lrt", "-lm"]
    with tempfile.TemporaryDirectory() as scratch:
        archives = [str(libfuzzer)]
        if address_sanitizer:
            # ASan's objects, but not its .preinit_array one, which a shared library cannot hold.
            _run(["ar", "x", str(_clang_library(clang, "asan"))], Path(scratch))
            (Path(scratch) / "asan_preinit.cpp.o").unlink(missing_ok=True)
            objects = sorted(str(path) for path in Path(scratch).glob("*.o"))
            archives = [*objects, str(_clang_library(clang, "asan_cxx")), *archives]
        _run(
            [clang, "-shared", "-fPIC", "-o", f"{runtime}.tmp", "-Wl,--whole-archive"]
            + [*archives, "-Wl,--no-whole-archive", *system_libraries]
        )
    os.replace(f"{runtime}.tmp", runtime)


def build(workdir: Path, address_sanitizer: bool = False) -> NativeBuild:
    """Build (or reuse) the instrumented modules and their runtime; RuntimeError if not."""
    clang = find_clang()
    if clang is None:
        raise RuntimeError("no clang on PATH")
    sanitizers = "address,fuzzer-no-link" if address_sanitizer else "fuzzer-no-link"
    target = workdir / "native" / _inputs_hash(clang, sanitizers)
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    runtime = target / ("asan-libfuzzer.so" if address_sanitizer else "libfuzzer.so")
    modules = {f"fastcore.{name}": target / "fastcore" / f"{name}{suffix}" for name in MODULES}
    native = NativeBuild(runtime, modules, address_sanitizer)
    if runtime.exists() and all(path.exists() for path in modules.values()):
        return native
    (target / "fastcore").mkdir(parents=True, exist_ok=True)
    # An __init__.py makes Cython name the modules fastcore._NAME, as the real build does.
    (target / "fastcore" / "__init__.py").write_text("")
    for name in MODULES:
        _build_module(clang, target, name, sanitizers, modules[f"fastcore.{name}"])
    _build_runtime(clang, runtime, address_sanitizer)
    return native


def sanitizer_environment(native: NativeBuild) -> dict[str, str]:
    """What the process that loads an ``address_sanitizer`` build must start with."""
    return {
        "LD_PRELOAD": str(native.runtime),
        "PYTHONMALLOC": "malloc",
        # CPython keeps objects alive until exit on purpose: leaks are not bugs here.
        # A small quarantine keeps the memory of a long run in bounds.
        "ASAN_OPTIONS": "detect_leaks=0:quarantine_size_mb=32",
    }


def _libfuzzer_is_loaded() -> bool:
    return hasattr(ctypes.CDLL(None), "LLVMFuzzerRunDriver")


def load(native: NativeBuild) -> None:
    """Make libFuzzer global, then import the instrumented modules under their real names."""
    if "atheris" in sys.modules or any(name in sys.modules for name in native.modules):
        raise RuntimeError("load the instrumented core before importing atheris or the core")
    if native.address_sanitizer and not _libfuzzer_is_loaded():
        raise RuntimeError("start the process with sanitizer_environment() to use ASan")
    try:
        if not _libfuzzer_is_loaded():
            ctypes.CDLL(str(native.runtime), mode=os.RTLD_NOW | os.RTLD_GLOBAL)
        for name, path in native.modules.items():
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"no loader for {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
    except (ImportError, OSError) as error:
        for name in native.modules:  # the real build is imported instead
            sys.modules.pop(name, None)
        raise RuntimeError(f"cannot load the instrumented core: {error}") from error
