"""Files and folders written whole or not at all, never over something that exists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hedgesim.util import new_folder, place, save_new, write_file


def test_write_file_refuses_to_replace_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    write_file(path, "one")
    with pytest.raises(FileExistsError):
        write_file(path, "two")
    assert path.read_text() == "one"
    write_file(path, "three", replace=True)
    assert path.read_text() == "three"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary left behind


def test_write_file_refuses_a_dangling_link(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    os.symlink(tmp_path / "nowhere", link)
    with pytest.raises(FileExistsError):
        write_file(link, "x")
    assert not (tmp_path / "nowhere").exists()


def test_place_never_replaces(tmp_path: Path) -> None:
    (tmp_path / "final").write_text("theirs")
    tmp = tmp_path / "tmp"
    tmp.write_text("ours")
    assert place(tmp, tmp_path / "final") is False
    assert (tmp_path / "final").read_text() == "theirs" and tmp.exists()
    assert place(tmp, tmp_path / "new") is True and not tmp.exists()


def test_save_new_picks_the_next_free_name(tmp_path: Path) -> None:
    paths = [save_new(tmp_path, "fig", ".txt", lambda p, i=i: Path(p).write_text(str(i))) for i in range(3)]
    assert [p.name for p in paths] == ["fig.txt", "fig-2.txt", "fig-3.txt"]
    assert [p.read_text() for p in paths] == ["0", "1", "2"]


def test_new_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    with new_folder(tmp_path / "run") as tmp:
        (tmp / "x").write_text("1")
        assert not (tmp_path / "run").exists()
    assert (tmp_path / "run" / "x").read_text() == "1"
    with pytest.raises(RuntimeError), new_folder(tmp_path / "broken") as tmp:
        (tmp / "x").write_text("1")
        raise RuntimeError("crash")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    with pytest.raises(FileExistsError), new_folder(tmp_path / "run"):
        pass


def test_new_folder_does_not_replace_an_empty_folder_made_meanwhile(tmp_path: Path) -> None:
    """rename(2) would silently replace an empty directory; the writer checks again just before."""
    with pytest.raises(FileExistsError), new_folder(tmp_path / "run") as tmp:
        (tmp / "x").write_text("1")
        (tmp_path / "run").mkdir()
    assert list((tmp_path / "run").iterdir()) == []
