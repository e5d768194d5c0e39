"""Which files a build reads (kg/inputs.py): one path or a list, never a
string's characters; no walk into /proc, /dev, /sys or out of the folders given."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.inputs import as_paths, discover, is_system

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def test_a_string_is_one_path():
    assert as_paths(str(SEEDS)) == [SEEDS]
    assert as_paths(SEEDS) == [SEEDS]
    assert as_paths([str(SEEDS), SEEDS]) == [SEEDS, SEEDS]
    files, problems = discover(str(SEEDS) + "/")
    assert [f.name for f in files] == sorted(p.name for p in SEEDS.iterdir()) and problems == []


def test_system_folders_are_not_read():
    assert is_system("/proc") and is_system("/proc/kmsg") and is_system("/dev/null") and is_system("/sys/x")
    assert not is_system("/processes") and not is_system("/")
    for p in ("/proc", "/dev", "/sys/kernel"):
        files, problems = discover(p)
        assert files == [] and [x.code for x in problems] == ["E005"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_links_out_of_the_inputs_are_not_followed(tmp_path):
    inp = tmp_path / "in"
    (inp / "sub").mkdir(parents=True)
    (inp / "sub" / "a.md").write_text("x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.md").write_text("x")
    (inp / "to-outside").symlink_to(outside)
    (inp / "to-outside.md").symlink_to(outside / "b.md")
    (inp / "to-proc").symlink_to("/proc")
    (inp / "kmsg.md").symlink_to("/proc/kmsg")
    (inp / "to-sub").symlink_to(inp / "sub")              # inside: followed (then a loop, E004)
    (inp / "sub" / "c.md").symlink_to(inp / "sub" / "a.md")   # inside: followed
    files, problems = discover([inp])
    names = sorted(str(f.relative_to(inp)) for f in files)
    assert names == ["sub/a.md", "sub/c.md"] or names == ["sub/a.md", "sub/c.md", "to-sub/a.md", "to-sub/c.md"]
    notes = sorted(os.path.basename(p.source) for p in problems if p.code == "N002")
    assert notes == ["kmsg.md", "to-outside", "to-outside.md", "to-proc"]
    # given too, the other folder is read (once: through the link, then E004 "already visited")
    files, _ = discover([inp, outside])
    assert {"to-outside.md", "b.md"} <= {f.name for f in files}


def test_the_output_folder_inside_an_input_is_not_read(tmp_path):
    """`kg build . --out output`: the second build does not read the first one's graph.html."""
    import shutil

    import kg
    inp = tmp_path / "in"
    shutil.copytree(SEEDS, inp)
    first = kg.build(inp, inp / "output", progress=False)
    assert (inp / "output" / "graph.html").exists()
    again = kg.build(inp, inp / "output", progress=False)
    assert again.files == first.files == 2 and again.problems == []
