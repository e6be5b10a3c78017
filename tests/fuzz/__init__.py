"""Coverage-guided differential fuzzing of the compiled core, with the pure mirror as oracle.

Each target feeds fuzzer bytes to the compiled core (``fastcore._routing``,
``fastcore._params``) and to the pure one (``fastcore_py``) and reports any
difference in results, exceptions or error lists, any exception the core
does not document, and any crash. Needs atheris (``pip install -e '.[fuzz]'``);
with clang on the PATH the compiled core is also instrumented (``native.py``).

How to run, from the project root (the compiled core must be built):

    python -m tests.fuzz --seconds 8              # every target, about a minute (CI)
    python -m tests.fuzz --seconds 600            # a campaign: 10 minutes per target
    python -m tests.fuzz --target plan --seconds 3600
    python -m tests.fuzz --target routes --replay FILE ...   # re-run saved inputs

Corpora, findings and logs go to ``$TMPDIR/fastcore-fuzz`` (``--workdir``);
a later run resumes from the corpus. The exit status is 1 on any finding.

Layout, one concern per module:

* ``target_*.py``: the harnesses, one per target (``targets.TARGETS``), each
  with readable seeds and a dictionary of tokens;
* ``wire.py``: fuzzer bytes read as request lines, headers, request heads;
* ``request_plans.py``: the endpoints whose plans the params harnesses drive;
* ``compare.py``: comparing both sides' answers, and ``Finding``;
* ``sides.py``: the compiled and the pure core, and per-module caches;
* ``engine.py``: one target under atheris (a process per target);
* ``native.py``: an instrumented build of the compiled core, with clang;
* ``runner.py``: the command line.

``tests/test_fuzz_harnesses.py`` replays every seed on both cores in the
test suite, and proves each harness reports a difference planted in its
oracle. Nothing here imports atheris except the engine.
"""
