"""One fuzz target under atheris, in a process of its own (the runner starts one per target).

``python -m tests.fuzz.engine TARGET SECONDS WORKDIR NATIVE`` fuzzes TARGET
for SECONDS: the compiled core is the subject, the pure mirror the oracle.
NATIVE is the runner's ``--native`` (``auto``, ``on``, ``off``, ``asan``).
Coverage comes from the pure mirror and the harness (atheris instruments
their bytecode, and the ``startswith``/``endswith`` tests they make) and, when
an instrumented build could be made (``native``), from the compiled core's
own C code.

A finding does not stop the run: it is written to ``findings/TARGET/`` (the
input, and a text file with what differed) once per signature, and counted
in ``findings.json``, and fuzzing goes on. A crash of the process (a
segfault in C, a harness error) is left to libFuzzer, which saves the input
under ``artifacts/TARGET/`` and exits with an error; as a C stack overflow
can kill the process before libFuzzer saves anything, each input is also
copied, with the count of executions so far, into a memory-mapped file
(``LastInput``) that outlives the process.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import mmap
import struct
import sys
import time
from pathlib import Path
from typing import Any

from tests.fuzz import native

# Where the pure side's logic lives, and the harnesses' decisions: instrumented for
# coverage when imported. Not the comparison code, which would only slow each run.
INSTRUMENTED = ("fastcore_py", "tests.fuzz", "http.cookies", "uuid")
NOT_INSTRUMENTED = ("tests.fuzz.compare", "tests.fuzz.sides")
# Already imported by atheris itself, so instrumented function by function.
ALREADY_IMPORTED = ("urllib.parse",)
MAX_INPUT = 9000  # room for the 4,000-digit numbers in the seeds
INPUT_TIMEOUT = 10  # seconds: a request that takes longer is a hang, and a bug


class Recorder:
    """Counts findings by signature, and keeps the shortest input seen for each."""

    def __init__(self, target: str, workdir: Path) -> None:
        self.directory = workdir / "findings" / target
        self.directory.mkdir(parents=True, exist_ok=True)
        self.summary = self.directory / "findings.json"
        self.hits: dict[str, int] = {}
        self.shortest: dict[str, int] = {}

    def record(self, finding: Any, data: bytes) -> None:
        signature = finding.signature
        self.hits[signature] = self.hits.get(signature, 0) + 1
        if signature in self.shortest and len(data) >= self.shortest[signature]:
            self._write_summary()
            return
        self.shortest[signature] = len(data)
        stem = hashlib.sha1(signature.encode()).hexdigest()[:12]
        (self.directory / f"{stem}.input").write_bytes(data)
        (self.directory / f"{stem}.txt").write_text(
            f"{finding}\n\ninput ({len(data)} bytes): {data[:2000]!r}\n", errors="replace"
        )
        self._write_summary()

    def _write_summary(self) -> None:
        self.summary.write_text(json.dumps(self.hits, indent=1, sort_keys=True))


class LastInput:
    """The input being run and the number of executions, in a file that survives a crash.

    Writing to a shared memory map costs a copy per execution; the kernel
    keeps the file's content whatever happens to the process.
    """

    HEADER = struct.Struct("<QQ")  # executions, length of the input

    def __init__(self, path: Path, capacity: int) -> None:
        self.capacity = capacity
        with path.open("wb") as created:
            created.truncate(self.HEADER.size + capacity)
        self.file = path.open("r+b")
        self.map = mmap.mmap(self.file.fileno(), 0)
        self.count = 0

    def store(self, data: bytes) -> None:
        self.count += 1
        size = min(len(data), self.capacity)
        start = self.HEADER.size
        self.map[start : start + size] = data[:size]
        self.HEADER.pack_into(self.map, 0, self.count, size)

    @classmethod
    def read(cls, path: Path) -> tuple[int, bytes]:
        """``(executions, last input)`` of a file written by ``store``."""
        content = path.read_bytes()
        count, size = cls.HEADER.unpack_from(content)
        return count, content[cls.HEADER.size : cls.HEADER.size + size]


def _instrument(atheris: Any) -> None:
    for name in ALREADY_IMPORTED:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if callable(value) and getattr(value, "__module__", None) == name:
                if hasattr(value, "__code__"):
                    atheris.instrument_func(value)


def main(argv: list[str]) -> int:
    target_name, seconds, workdir_name, native_mode = argv
    workdir = Path(workdir_name)
    coverage = "python"
    if native_mode != "off":
        try:
            native.load(native.build(workdir, address_sanitizer=native_mode == "asan"))
            coverage = "python+native" + ("+asan" if native_mode == "asan" else "")
        except RuntimeError as error:
            if native_mode != "auto":
                raise
            print(f"fuzz: no instrumented compiled core ({error}); Python coverage only")
    import atheris

    # Not the "RegEx" hook: its pattern proxy drops search()'s ``pos`` argument, which
    # http.cookies uses, so the oracle itself would change under the fuzzer.
    atheris.enabled_hooks.add("str")
    with atheris.instrument_imports(include=list(INSTRUMENTED), exclude=list(NOT_INSTRUMENTED)):
        import fastcore_py.params  # noqa: F401 - instrumented for coverage
        import fastcore_py.routing  # noqa: F401
        from tests.fuzz import sides, targets
        from tests.fuzz.compare import Finding

        target = targets.load(target_name)
    _instrument(atheris)
    subject, oracle = sides.compiled(), sides.pure()
    print(f"fuzz: {target_name}: {coverage} coverage, subject {subject.routing.__file__}")
    corpus = workdir / "corpus" / target_name
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in target.SEEDS:
        (corpus / f"seed-{hashlib.sha1(seed).hexdigest()[:12]}").write_bytes(seed)
    dictionary = workdir / f"{target_name}.dict"
    dictionary.write_text("".join(f"{_dict_entry(token)}\n" for token in target.DICTIONARY))
    artifacts = workdir / "artifacts" / target_name
    artifacts.mkdir(parents=True, exist_ok=True)
    recorder = Recorder(target_name, workdir)
    last_input = LastInput(artifacts / "last-input", MAX_INPUT)

    def test_one_input(data: bytes) -> None:
        last_input.store(data)
        try:
            target.check(data, subject, oracle)
        except Finding as finding:
            recorder.record(finding, data)

    started = time.monotonic()
    atheris.Setup(
        [
            "fuzz",
            str(corpus),
            f"-max_total_time={seconds}",
            f"-dict={dictionary}",
            f"-artifact_prefix={artifacts}/",
            f"-max_len={MAX_INPUT}",
            f"-timeout={INPUT_TIMEOUT}",
            "-print_final_stats=1",
        ],
        test_one_input,
    )
    print(f"fuzz: set up in {time.monotonic() - started:.1f}s", flush=True)
    atheris.Fuzz()
    return 0  # not reached: libFuzzer exits the process itself


def _dict_entry(token: bytes) -> str:
    """A token in libFuzzer's dictionary syntax: a quoted string with \\xNN escapes."""
    escaped = "".join(
        chr(byte) if 32 <= byte < 127 and byte not in b'"\\' else f"\\x{byte:02x}" for byte in token
    )
    return f'"{escaped}"'


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
