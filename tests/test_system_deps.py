"""scripts/install-system-deps, which `make run` and `make test` call first: on a machine without the system
packages it installs them as root, and otherwise stops naming them and the command to install them.

Each test runs the script with a PATH of stand-ins only (no real apt-get, sudo or ldconfig), so nothing is
installed; scripts/fresh-machine-check runs the real thing in a minimal Debian root."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "install-system-deps"
PANGO = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]
LIBRARIES = "".join(
    f"\t{name} (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/{name}\n"
    for name in ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0")
)
VENV = "python{}.{}-venv".format(*sys.version_info[:2])


def stand_ins(tmp_path, *, uid, libraries="", ensurepip=False, node=False):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()

    def script(name, body):
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    for tool in ("grep", "readlink", "env", "cat"):
        os.symlink(subprocess.check_output(["sh", "-c", f"command -v {tool}"], text=True).strip(), bin_dir / tool)
    script("id", f"echo {uid}")
    script("ldconfig", f"printf '%s' '{libraries}'")
    # A Python like Debian's without python3-venv: `import ensurepip` fails.
    block = "" if ensurepip else 'case "$*" in *ensurepip*) exit 1;; esac\n'
    script("python3", f'{block}exec {sys.executable} "$@"')
    script("apt-get", f'echo "$*" >> {tmp_path}/apt-get.log')
    if node:
        script("node", "exit 0")
        script("npm", "exit 0")
    return bin_dir


def run(tmp_path, bin_dir, mode, **env):
    fonts_present = any(Path("/usr/share/fonts/truetype").glob("liberation*/LiberationSans-Regular.ttf"))
    result = subprocess.run(
        ["/bin/bash", str(SCRIPT), mode],
        env={
            "PATH": str(bin_dir),
            "CHROMIUM_PATH": str(tmp_path / "no-chromium"),
            "REDIS_SERVER_PATH": str(tmp_path / "no-redis-server"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    apt = (tmp_path / "apt-get.log").read_text() if (tmp_path / "apt-get.log").exists() else ""
    return result, apt, fonts_present


def test_without_root_or_sudo_it_stops_before_installing_and_names_the_packages(tmp_path):
    bin_dir = stand_ins(tmp_path, uid=1000)
    result, apt, fonts_present = run(tmp_path, bin_dir, "run")
    assert result.returncode == 1
    expected = [VENV, "nodejs", "npm", *PANGO] + ([] if fonts_present else ["fonts-liberation"])
    assert f"sudo apt-get install {' '.join(expected)}\n" in result.stderr
    assert "make run needs these system packages" in result.stderr
    assert "chromium" not in result.stderr and "postgresql" not in result.stderr
    assert "redis-server" not in result.stderr
    assert apt == ""


def test_as_root_it_installs_what_running_needs(tmp_path):
    bin_dir = stand_ins(tmp_path, uid=0, node=True)
    result, apt, fonts_present = run(tmp_path, bin_dir, "run")
    assert result.returncode == 0, result.stderr
    expected = [VENV, *PANGO] + ([] if fonts_present else ["fonts-liberation"])
    assert apt.splitlines() == ["-qq update", f"-qq install -y --no-install-recommends {' '.join(expected)}"]


def test_the_tests_add_chromium_postgresql_and_redis(tmp_path):
    bin_dir = stand_ins(tmp_path, uid=0, libraries=LIBRARIES, ensurepip=True, node=True)
    result, apt, fonts_present = run(tmp_path, bin_dir, "test")
    assert result.returncode == 0, result.stderr
    installed = apt.splitlines()[-1].split()
    assert "chromium" in installed
    assert "redis-server" in installed  # tests/test_multi_process.py starts one
    assert ("postgresql" in installed) != any(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    assert not {VENV, "nodejs", "npm", *PANGO} & set(installed)


def test_nothing_missing_nothing_done(tmp_path):
    bin_dir = stand_ins(tmp_path, uid=1000, libraries=LIBRARIES, ensurepip=True, node=True)
    result, apt, fonts_present = run(tmp_path, bin_dir, "run")
    if not fonts_present:
        pytest.skip("fonts-liberation is not installed here")
    assert result.returncode == 0, result.stderr
    assert "all present" in result.stdout
    assert apt == ""


def test_python_older_than_3_11_is_refused_plainly(tmp_path):
    bin_dir = stand_ins(tmp_path, uid=0, node=True)
    old = bin_dir / "python3.9"
    old.write_text('#!/bin/sh\ncase "$*" in *version_info\\ \\<*) exit 1;; *version_info*) echo 3.9;; esac\n')
    old.chmod(0o755)
    result, apt, _ = run(tmp_path, bin_dir, "run", PYTHON="python3.9")
    assert result.returncode == 1
    assert "needs Python 3.11 or newer; python3.9 is 3.9" in result.stderr
    assert apt == ""
