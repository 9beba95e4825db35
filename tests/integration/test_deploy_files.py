"""The deployment files name commands and settings that exist: a unit that calls a renamed
command, or an env file with a setting Qiao does not read, fails here, not on a server."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


def _flask_commands(unit: Path) -> list[list[str]]:
    commands = []
    for line in unit.read_text().splitlines():
        if line.startswith(("ExecStart=", "ExecStartPre=")):
            words = shlex.split(line.split("=", 1)[1].replace("%%", "%"))
            if words[0] == "/bin/sh":
                words = shlex.split(words[-1])
            if words[0].endswith("/flask"):
                assert words[1:3] == ["--app", "app"], line
                commands.append(words[3:])
    return commands


def test_every_unit_calls_a_real_command(app):
    called = [(unit.name, cmd) for unit in UNITS for cmd in _flask_commands(unit)]
    assert {name for name, _ in called} >= {
        "qiao-web.service",
        "qiao-worker.service",
        "qiao-remind.service",
        "qiao-backup.service",
    }
    for unit_name, words in called:
        group = app.cli
        ctx = click.Context(group)
        path = [w for w in words if not w.startswith("-")][:2]
        command = group.get_command(ctx, path[0])
        assert command is not None, f"{unit_name}: no command {path[0]}"
        if isinstance(command, click.Group) and len(path) > 1:
            assert command.get_command(ctx, path[1]) is not None, f"{unit_name}: {words}"


def test_timers_start_their_services():
    for timer in (ROOT / "deploy" / "systemd").glob("*.timer"):
        assert (timer.with_suffix(".service")).exists(), timer.name
        assert re.search(r"^OnCalendar=", timer.read_text(), re.M), timer.name


def test_env_example_names_only_documented_settings():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / "deploy" / "qiao.env.example").read_text()
    names = re.findall(r"^([A-Z_]+)=", example, re.M)
    assert "SECRET_KEY" in names and "DATABASE_URL" in names
    undocumented = [n for n in names if f"`{n}`" not in readme]
    assert not undocumented, f"document these in README.md: {undocumented}"


def test_gunicorn_config_is_the_one_the_units_use():
    web = (ROOT / "deploy" / "systemd" / "qiao-web.service").read_text()
    assert "deploy/gunicorn.conf.py" in web
    assert (ROOT / "deploy" / "gunicorn.conf.py").exists()
