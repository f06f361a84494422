"""The dependency locks agree with the declared ranges and with each other (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import locks

HASH = "--hash=sha256:" + "ab" * 32


def write_repo(root: Path, files: dict[str, str]) -> Path:
    """A repository holding just these requirement files."""
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def consistent_files() -> dict[str, str]:
    return {
        "requirements.in": "pulumi>=3.200,<4  # runtime\n",
        "requirements-dev.in": (
            "-r requirements.in\npytest>=8,<10\npulumi-policy>=1.17,<2\nuv>=0.13,<0.14\n"
        ),
        "policy/requirements.in": "pulumi>=3.200,<4\npulumi-policy>=1.17,<2\n",
        "requirements.txt": f"pulumi==3.272.0 \\\n    {HASH}\n    # via -r requirements.in\n",
        "requirements-dev.txt": (
            f"pulumi==3.272.0 \\\n    {HASH}\npytest==9.2.0 \\\n    {HASH}\n"
            f"pulumi-policy==1.21.0 \\\n    {HASH}\n"
            f"colorama==0.4.6 ; sys_platform == 'win32' \\\n    {HASH}\n"
            f"uv==0.13.9 \\\n    {HASH}\n"
        ),
        "policy/requirements.txt": f"pulumi==3.272.0 {HASH}\npulumi_policy==1.21.0 {HASH}\n",
        "requirements-bootstrap.in": "uv>=0.13,<0.14\n",
        "requirements-bootstrap.txt": f"uv==0.13.9 {HASH}\n",
    }


def test_the_repository_locks_agree_with_their_ranges() -> None:
    assert locks.check() == []


def test_every_repository_lock_entry_is_an_exact_pin_with_hashes() -> None:
    for _, lock_file in locks.PAIRS:
        entries, problems = locks.read_lock(locks.REPO / lock_file)
        assert problems == []
        assert entries, lock_file
        assert all(e.hashes for e in entries.values())


def test_binary_dependencies_carry_hashes_for_every_platform() -> None:
    # grpcio and cryptography ship one wheel per platform; users run `pulumi up` on macOS and
    # Windows too, so the runtime lock must hash more than the Linux wheel.
    entries, _ = locks.read_lock(locks.REPO / "requirements.txt")
    for name in ("grpcio", "cryptography"):
        assert len(entries[name].hashes) > 5, name


def test_the_runtime_packages_are_in_the_dev_lock_at_the_same_versions() -> None:
    runtime, _ = locks.read_lock(locks.REPO / "requirements.txt")
    dev, _ = locks.read_lock(locks.REPO / "requirements-dev.txt")
    policy, _ = locks.read_lock(locks.REPO / "policy/requirements.txt")
    assert {n: e.version for n, e in runtime.items()}.items() <= {
        n: e.version for n, e in dev.items()
    }.items()
    assert policy["pulumi"].version == runtime["pulumi"].version
    assert policy["pulumi-policy"].version == dev["pulumi-policy"].version


def test_consistent_locks_pass(tmp_path: Path) -> None:
    assert locks.check(write_repo(tmp_path, consistent_files())) == []


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        (
            "requirements.in",
            "pulumi>=3.280,<4\n",
            "requirements.txt: pulumi==3.272.0 is outside the declared range <4,>=3.280",
        ),
        (
            "requirements.in",
            "pulumi>=3.200,<4\nkubernetes>=30,<38\n",
            "requirements.txt: kubernetes<38,>=30 is declared but not locked",
        ),
        (
            "requirements.txt",
            f"pulumi==3.271.0 {HASH}\n",
            "requirements.txt: pulumi==3.271.0, but the dev lock has 3.272.0",
        ),
        (
            "policy/requirements.txt",
            f"pulumi==3.272.0 {HASH}\npulumi-policy==1.20.0 {HASH}\n",
            "policy/requirements.txt: pulumi-policy==1.20.0, but the dev lock has 1.21.0",
        ),
        (
            # The installer of the dev lock is the version the dev lock itself pins.
            "requirements-bootstrap.txt",
            f"uv==0.13.8 {HASH}\n",
            "requirements-bootstrap.txt: uv==0.13.8, but the dev lock has 0.13.9",
        ),
        (
            "requirements.txt",
            "pulumi==3.272.0\n",
            "requirements.txt: pulumi has no sha256 hash",
        ),
        (
            "requirements.txt",
            f"pulumi>=3.272.0 {HASH}\n",
            "requirements.txt: pulumi is not pinned with ==",
        ),
        (
            "requirements-dev.txt",
            f"pulumi==3.272.0 {HASH}\npytest==9.2.0 {HASH}\npulumi-policy==1.22.0a1 {HASH}\n"
            f"uv==0.13.9 {HASH}\n",
            # A pre-release is outside a range that names none.
            "requirements-dev.txt: pulumi-policy==1.22.0a1 is outside the declared range",
        ),
    ],
)
def test_each_disagreement_is_reported(tmp_path: Path, path: str, text: str, expected: str) -> None:
    problems = locks.check(write_repo(tmp_path, {**consistent_files(), path: text}))
    assert any(p.startswith(expected) for p in problems), problems


def test_the_cli_exits_non_zero_on_a_disagreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**consistent_files(), "requirements.in": "pulumi>=3.280,<4\n"}
    assert locks.main(write_repo(tmp_path, files)) == 1
    err = capsys.readouterr().err
    assert "pulumi==3.272.0 is outside the declared range" in err and "tools/lock.sh" in err
    assert locks.main() == 0
