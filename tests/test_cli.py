"""``fastcore run`` / ``fastcore dev``: finding the app, the uvicorn settings, real servers."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from fastcore import FastAPI, cli
from fastcore._core import PURE_PYTHON_REQUESTED
from tests.servers import (
    ROOT,
    free_port,
    http_get,
    json_body,
    running_server,
    status_of,
    subprocess_env,
)

APP_SOURCE = "from fastcore import FastAPI\n{name} = FastAPI()\n"
EXPECTED_CORE = "pure Python core" if PURE_PYTHON_REQUESTED else "compiled core"


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory; whatever a test imports from it is forgotten after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delenv("PORT", raising=False)
    yield tmp_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


# -- which file, which module name, which directory on sys.path ---------------------------


@pytest.mark.parametrize(
    ("files", "root", "module"),
    [
        (["main.py", "app.py", "api.py"], "", "main"),
        (["app.py", "api.py", "app/main.py"], "", "app"),
        (["api.py", "app/main.py"], "", "api"),
        (["app/main.py", "app/app.py"], "app", "main"),
        (["app/__init__.py", "app/main.py", "app/api.py"], "", "app.main"),
        (["app/app.py", "app/api.py"], "app", "app"),
        (["app/__init__.py", "app/api.py"], "", "app.api"),
    ],
)
def test_default_files_are_tried_in_order(
    project: Path, files: list[str], root: str, module: str
) -> None:
    for name in files:
        write(project / name)
    location = cli.locate_module(None, project)
    assert (location.root, location.module) == (project / root, module)


def test_module_name_comes_from_the_package_directories(project: Path) -> None:
    write(project / "src/shop/__init__.py")
    write(project / "src/shop/api/__init__.py")
    write(project / "src/shop/api/main.py")
    location = cli.locate_module("src/shop/api/main.py", project)
    assert (location.root, location.module) == (project / "src", "shop.api.main")
    package = cli.locate_module("src/shop", project)
    assert (package.root, package.module) == (project / "src", "shop")
    assert package.file == project / "src/shop/__init__.py"


@pytest.mark.parametrize(
    ("files", "path", "message"),
    [
        ([], None, "none of main.py, app.py, api.py, app/main.py"),
        ([], "missing.py", "path does not exist: missing.py"),
        (["notes.txt"], "notes.txt", "not a Python file: notes.txt"),
        (["code/main.py"], "code", "code is a directory without __init__.py"),
    ],
)
def test_locating_errors(project: Path, files: list[str], path: str | None, message: str) -> None:
    for name in files:
        write(project / name)
    with pytest.raises(cli.CLIError, match=message.replace(".", r"\.")):
        cli.locate_module(path, project)


# -- which variable holds the app ---------------------------------------------------------


def module_with(**attributes: Any) -> ModuleType:
    module = ModuleType("example")
    module.__file__ = "example.py"
    vars(module).update(attributes)
    return module


def test_app_is_preferred_then_api_then_the_first_fastapi_instance() -> None:
    first, second = FastAPI(), FastAPI()
    assert cli.find_app_name(module_with(server=first, api=second, app=FastAPI())) == "app"
    assert cli.find_app_name(module_with(server=first, api=second)) == "api"
    assert cli.find_app_name(module_with(app="not an app", server=first, other=second)) == "server"


def test_app_option_names_the_variable() -> None:
    module = module_with(app=FastAPI(), mine=FastAPI(), number=3)
    assert cli.find_app_name(module, "mine") == "mine"
    with pytest.raises(cli.CLIError, match="module example has no attribute 'missing'"):
        cli.find_app_name(module, "missing")
    with pytest.raises(cli.CLIError, match="example:number is a int, not a FastAPI app"):
        cli.find_app_name(module, "number")


def test_no_app_in_the_module() -> None:
    with pytest.raises(cli.CLIError, match="no FastAPI app found in module example"):
        cli.find_app_name(module_with(app=object()))


# -- the whole lookup, importing for real -------------------------------------------------


def test_target_of_a_file_in_a_package(project: Path) -> None:
    write(project / "service/__init__.py")
    write(project / "service/web.py", APP_SOURCE.format(name="service_app"))
    target = cli.find_target("service/web.py", None, None)
    assert target.import_string == "service.web:service_app"
    assert target.root == project
    assert isinstance(target.app, FastAPI)
    assert sys.path[0] == str(project)


def test_target_from_pyproject_entrypoint(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.fastcore]\nentrypoint = "server:application"\n')
    write(project / "server.py", APP_SOURCE.format(name="application"))
    write(project / "main.py", APP_SOURCE.format(name="app"))  # the entrypoint wins
    assert cli.find_target(None, None, None).import_string == "server:application"
    assert cli.find_target("main.py", None, None).import_string == "main:app"


def test_entrypoint_option(project: Path) -> None:
    write(project / "server.py", APP_SOURCE.format(name="application"))
    assert cli.find_target(None, None, "server:application").import_string == "server:application"
    with pytest.raises(cli.CLIError, match="looks like module.submodule:app, not 'server'"):
        cli.find_target(None, None, "server")
    with pytest.raises(cli.CLIError, match="server has no attribute 'nothing'"):
        cli.find_target(None, None, "server:nothing")


def test_a_module_name_taken_by_another_module(project: Path) -> None:
    write(project / "json.py", APP_SOURCE.format(name="app"))
    with pytest.raises(cli.CLIError, match="the name 'json' is taken by .*rename the file"):
        cli.find_target("json.py", None, None)


def test_import_error_is_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project / "main.py", "raise RuntimeError('broken app')\n")
    with pytest.raises(cli.CLIError, match="importing main from .* failed: RuntimeError"):
        cli.find_target(None, None, None)
    assert "broken app" in capsys.readouterr().err  # with the traceback


# -- what uvicorn is asked to do ----------------------------------------------------------


@pytest.fixture
def uvicorn_calls(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict]]:
    """Record uvicorn.run calls instead of serving; keep this process's SIGTERM handler."""
    import uvicorn

    calls: list[tuple[Any, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    previous = signal.getsignal(signal.SIGTERM)
    write(project / "main.py", APP_SOURCE.format(name="app"))
    yield calls
    signal.signal(signal.SIGTERM, previous)


def test_run_defaults(uvicorn_calls: list, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run"]) == 0
    [(app, options)] = uvicorn_calls
    assert app == "main:app"  # a string, so that workers can import it
    assert options == {
        "host": "0.0.0.0",
        "port": 8000,
        "workers": None,
        "reload": False,
        "reload_dirs": None,
        "root_path": "",
        "proxy_headers": True,
        "forwarded_allow_ips": None,
        "loop": "uvloop",
        "http": "httptools",
    }
    banner = capsys.readouterr().out
    assert f"production mode, {EXPECTED_CORE}" in banner
    assert "main:app" in banner
    assert "http://0.0.0.0:8000/docs" in banner


def test_run_options(uvicorn_calls: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9001")
    argv = ["run", "main.py", "--app", "app", "--host", "::1", "--workers", "3"]
    argv += ["--no-proxy-headers", "--forwarded-allow-ips", "10.0.0.1,10.0.0.2"]
    assert cli.main([*argv, "--root-path", "/api"]) == 0
    [(_, options)] = uvicorn_calls
    assert (options["host"], options["port"], options["workers"]) == ("::1", 9001, 3)
    assert options["proxy_headers"] is False
    assert options["forwarded_allow_ips"] == "10.0.0.1,10.0.0.2"
    assert options["root_path"] == "/api"


def test_dev_defaults(uvicorn_calls: list, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["dev", "--port", "8123", "--reload-dir", "src"]) == 0
    [(app, options)] = uvicorn_calls
    assert app == "main:app"
    assert (options["host"], options["port"]) == ("127.0.0.1", 8123)
    assert options["reload"] is True
    assert options["workers"] is None
    assert options["reload_dirs"] == ["src"]
    banner = capsys.readouterr().out
    assert f"development mode, {EXPECTED_CORE}" in banner
    assert "http://127.0.0.1:8123/docs" in banner


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "main.py", "--entrypoint", "main:app"], "--entrypoint names the app itself"),
        (["run", "--workers", "2", "--reload"], "--workers cannot be combined with --reload"),
        (["run", "--app", "nope"], "module main has no attribute 'nope'"),
    ],
)
def test_usage_errors(
    uvicorn_calls: list, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert cli.main(argv) == 1
    assert message in capsys.readouterr().err
    assert uvicorn_calls == []


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_workers_must_be_a_positive_number(uvicorn_calls: list, workers: str) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(["run", "--workers", workers])
    assert exit.value.code == 2  # argparse's usage error
    assert uvicorn_calls == []


def test_bad_port_variable(uvicorn_calls: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "http")
    assert cli.main(["run"]) == 1
    assert uvicorn_calls == []


# -- real processes -----------------------------------------------------------------------


def fastcore_command() -> list[str]:
    """The ``fastcore`` console script when this environment has it, else ``-m``."""
    script = Path(sysconfig.get_path("scripts")) / "fastcore"
    if script.is_file() and console_script() is not None:
        return [str(script)]
    return [sys.executable, "-m", "fastcore"]


def console_script() -> metadata.EntryPoint | None:
    try:
        distribution = metadata.distribution("fastcore")
    except metadata.PackageNotFoundError:
        return None
    scripts = distribution.entry_points.select(group="console_scripts", name="fastcore")
    return next(iter(scripts), None)


def test_run_with_two_workers_serves_the_app() -> None:
    port = free_port()
    command = [sys.executable, "-m", "fastcore", "run", "tests/apps/deploy_app.py"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    with running_server(command, port, count=2) as server:
        response = http_get(port, "/")
        assert status_of(response) == 200
        answer = json_body(response)
        assert answer["app"] == "deploy"
        assert answer["compiled"] is not PURE_PYTHON_REQUESTED
        assert answer["pid"] != server.process.pid
        assert server.stop() == 0
    banner = server.output
    # tests/ has no __init__.py, tests/apps has one: tests/ is the import root.
    assert "apps.deploy_app:app" in banner
    assert f"production mode, {EXPECTED_CORE}" in banner
    assert f"http://127.0.0.1:{port}/docs" in banner
    assert "2 workers" in banner


def test_dev_serves_and_reloads_on_change(tmp_path: Path) -> None:
    app_file = tmp_path / "main.py"
    shutil.copy(ROOT / "tests/apps/reload_app.py", app_file)
    port = free_port()
    command = [*fastcore_command(), "dev", "--port", str(port)]
    with running_server(command, port, cwd=tmp_path) as server:
        assert json_body(http_get(port, "/version")) == {
            "version": 1,
            "compiled": not PURE_PYTHON_REQUESTED,
        }
        app_file.write_text(app_file.read_text().replace("VERSION = 1", "VERSION = 2"))
        server.wait_for_output("Application startup complete", count=2)
        deadline = time.monotonic() + 10
        while json_body(http_get(port, "/version"))["version"] != 2:
            assert time.monotonic() < deadline, server.output
            time.sleep(0.1)
        assert server.stop() == 0
    assert "main:app" in server.output
    assert f"development mode, {EXPECTED_CORE}" in server.output
    assert f"http://127.0.0.1:{port}/docs" in server.output


@pytest.mark.parametrize(
    ("files", "argv", "message"),
    [
        ({}, [], "none of main.py, app.py"),
        ({}, ["missing.py"], "path does not exist: missing.py"),
        ({"main.py": "x = 1\n"}, [], "no FastAPI app found in module main"),
    ],
    ids=["no-default-file", "missing-path", "no-app"],
)
def test_errors_exit_non_zero(
    tmp_path: Path, files: dict[str, str], argv: list[str], message: str
) -> None:
    for name, text in files.items():
        write(tmp_path / name, text)
    result = subprocess.run(
        [sys.executable, "-m", "fastcore", "run", *argv],
        cwd=tmp_path,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "fastcore run: error:" in result.stderr
    assert message in result.stderr
    assert result.stdout == ""  # no banner: nothing was started


def test_console_script_entry_point() -> None:
    script = console_script()
    if script is None:
        pytest.skip("fastcore is not pip-installed here: no console script to check")
    assert script.value == "fastcore.cli:main"
    assert script.load() is cli.main
    installed = Path(sysconfig.get_path("scripts")) / "fastcore"
    result = subprocess.run(
        [str(installed), "info"], env=subprocess_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "core:" in result.stdout
