"""Documentation that cannot drift: every command in the README, the licence attribution."""

from __future__ import annotations

from pathlib import Path

from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"scorecard {name}" in readme or f"| {name}" in readme or f" {name} " in readme, name


def test_the_two_commands_and_ci_agree() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "./scripts/demo" in readme and "./scripts/test" in readme
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_bundled_data_is_attributed() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "Open Government Licence v3.0" in readme
    assert (ROOT / "demo" / "data" / "README.md").read_text("utf-8").count("Open Government Licence v3.0")
