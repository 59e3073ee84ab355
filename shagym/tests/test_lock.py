"""Issue 13, item 8: the lock files pin every dependency of pyproject.toml, with hashes, at versions it allows; the dev
lock runs the same versions as production. A dependency added to pyproject.toml without `bash scripts/lock` fails."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def pins(name: str) -> dict[str, tuple[str, int]]:
    """Package -> (version, number of hashes) of a pip-compile output."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            found[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return found


@pytest.fixture(scope="module")
def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(("lock", "groups"), [("requirements.lock", ["runtime"]),
                                               ("requirements-s3.lock", ["runtime", "s3"]),
                                               ("requirements-dev.lock", ["runtime", "dev"])])
def test_every_dependency_is_locked_with_hashes_at_an_allowed_version(project, lock, groups):
    locked = pins(lock)
    wanted = [Requirement(r) for g in groups for r in (project["dependencies"] if g == "runtime"
                                                         else project["optional-dependencies"][g])]
    missing = [str(r) for r in wanted if canonicalize_name(r.name) not in locked]
    assert missing == [], f"run bash scripts/lock: {missing} not in {lock}"
    outside = [f"{r.name}=={locked[canonicalize_name(r.name)][0]} ({r.specifier})" for r in wanted
               if not r.specifier.contains(locked[canonicalize_name(r.name)][0], prereleases=True)]
    assert outside == [], f"run bash scripts/lock: {outside}"
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []
    assert "setuptools" in locked  # Shagym itself is built offline by the locked setuptools


def test_development_runs_the_versions_production_runs():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev[name][0] for name in runtime if name in dev} == {name: v for name, (v, _) in runtime.items()}


def test_media_in_a_bucket_runs_the_same_versions():
    """requirements-s3.lock (SHAGYM_MEDIA_STORAGE=s3, deploy/Dockerfile) is requirements.lock plus django-storages and
    boto3, at the versions the tests run."""
    runtime, s3, dev = pins("requirements.lock"), pins("requirements-s3.lock"), pins("requirements-dev.lock")
    assert {name: s3[name][0] for name in runtime} == {name: v for name, (v, _) in runtime.items()}
    assert {"django-storages", "boto3"} <= set(s3)
    assert {name: dev[name][0] for name in s3 if name in dev} == {name: v for name, (v, _) in s3.items()}
