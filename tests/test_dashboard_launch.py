"""``gongjian-kanban`` runs ``streamlit run dashboard/app.py`` with the project's settings."""

from __future__ import annotations

from pathlib import Path

from dashboard import launch

ROOT = Path(__file__).resolve().parent.parent


def test_command_runs_the_app_from_the_project_root_so_its_config_applies():
    args, cwd = launch.command(["--server.port", "8600"])
    assert args[:3] == ["streamlit", "run", str(ROOT / "dashboard" / "app.py")]
    assert args[-2:] == ["--server.port", "8600"]
    assert cwd == ROOT and (ROOT / ".streamlit" / "config.toml").is_file()


def test_project_config_binds_to_localhost_and_sets_an_upload_limit():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["maxUploadSize"] >= 20
    assert config["browser"]["gatherUsageStats"] is False
