"""Loading definition files: YAML errors and lines, problem rendering, folders, shipped files."""

from pathlib import Path
from typing import Any

import pytest

from assess.engine import DefinitionError, Problem, load_directory, load_questionnaire
from tests.engine.conftest import QUESTIONNAIRES, Mutator, set_at, write_yaml

# --------------------------------------------------------------------------- files and lines


def test_problem_reports_the_yaml_line(tmp_path: Path) -> None:
    file = tmp_path / "q.yaml"
    file.write_text(
        "id: demo\nversion: 1\ntitle: {nl: Demo}\nsections: []\nmoments: {}\nbogus: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(file)
    problems = {p.path: p for p in caught.value.problems}
    assert problems["bogus"].line == 6
    assert problems["sections"].line == 4
    assert "(line 6)" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "where", "message"),
    [
        ("id: demo\nversion: 1\n title: x\n", "line 3, column 7", "mapping values are not allowed"),
        ("id: demo\nid: other\n", "line 2, column 1", "duplicate key 'id' (first on line 1)"),
        ("id: [demo\n", "line 2, column 1", "expected ',' or ']'"),
    ],
    ids=["bad indentation", "duplicate key", "unclosed list"],
)
def test_yaml_errors_name_file_and_line(
    tmp_path: Path, source: str, where: str, message: str
) -> None:
    file = tmp_path / "syntax.yaml"
    file.write_text(source, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_questionnaire(file)
    rendered = str(caught.value)
    assert rendered.startswith(f"{file}: {where}: YAML syntax error")
    assert message in rendered


@pytest.mark.parametrize(("source", "got"), [("", "an empty file"), ("- a\n", "a list")])
def test_top_level_must_be_a_mapping(tmp_path: Path, source: str, got: str) -> None:
    file = tmp_path / "q.yaml"
    file.write_text(source, encoding="utf-8")
    with pytest.raises(DefinitionError, match=f"expected a mapping, got {got}"):
        load_questionnaire(file)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="cannot read"):
        load_questionnaire(tmp_path / "missing.yaml")


def test_problem_renders_like_file_path_message() -> None:
    error = DefinitionError("q.yaml", [Problem("scales.tm.points", "bad"), Problem("id", "x", 3)])
    assert str(error) == "q.yaml: scales.tm.points: bad\nq.yaml: id: x (line 3)"


# --------------------------------------------------------------------------- directories


def _mirror(data: dict) -> dict[str, Any]:
    """A beleidsscan that mirrors the sample: same scale ids, items naming their originals."""
    return {
        "id": "beleid",
        "version": 1,
        "title": {"nl": "Beleidsscan"},
        "audience": "manager",
        "mirrors": data["id"],
        "point_sets": {"eens5": data["point_sets"]["eens5"]},
        "sections": [
            {
                "id": "verwachting",
                "title": {"nl": "Verwachtingen"},
                "items": [
                    {
                        "id": f"b{n}",
                        "type": "likert",
                        "text": {"nl": f"Verwachting {n}"},
                        "points": "eens5",
                        "mirrors": f"a{n}",
                    }
                    for n in (1, 2, 3)
                ],
            }
        ],
        "scales": [
            {
                "id": "tm",
                "title": {"nl": "Tijdmanagement"},
                "points": [1, 5],
                "subscales": [
                    {"id": "plan", "title": {"nl": "Planning"}, "items": ["b1", "b2", "b3"]}
                ],
            }
        ],
        "moments": {"policy": {"title": {"nl": "Beleid"}, "sections": ["verwachting"]}},
    }


def test_load_directory_with_mirror(tmp_path: Path, data: dict) -> None:
    write_yaml(tmp_path / "a.yaml", data)
    write_yaml(tmp_path / "b.yaml", _mirror(data))
    (tmp_path / "notes.txt").write_text("not a questionnaire", encoding="utf-8")
    loaded = load_directory(tmp_path)
    assert [q.id for q in loaded] == ["demo", "beleid"]


def test_load_directory_of_nothing(tmp_path: Path) -> None:
    assert load_directory(tmp_path) == []


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        pytest.param(
            set_at("sections.0.items.0.mirrors", "a8"),
            "sections[0].items[0].mirrors",
            "unknown item 'a8' in 'demo'",
            id="unknown mirrored item",
        ),
        pytest.param(
            set_at("sections.0.items.0.mirrors", "t_klacht"),
            "sections[0].items[0].mirrors",
            "'t_klacht' is a numeric item in 'demo' but this is a likert item",
            id="mirrored item of another type",
        ),
        pytest.param(
            set_at("scales.0.subscales.0.id", "planning"),
            "scales.tm.subscales.planning.id",
            "sub-scale 'tm.planning' does not exist in the mirrored questionnaire 'demo'",
            id="unknown sub-scale",
        ),
        pytest.param(
            set_at("scales.0.id", "tijd"),
            "scales.tijd.id",
            "scale 'tijd' does not exist in the mirrored questionnaire 'demo'",
            id="unknown scale",
        ),
        pytest.param(
            set_at("sections.0.items.2.mirrors", "a4"),
            "sections[0].items[2].mirrors",
            "this item is scored in 'tm.plan' but 'a4' is scored in 'tm.grens' in 'demo'",
            id="mirrored item in another sub-scale",
        ),
        pytest.param(
            set_at("mirrors", "nergens"),
            "mirrors",
            "no questionnaire with id 'nergens'",
            id="unknown mirrored questionnaire",
        ),
    ],
)
def test_load_directory_checks_mirrors(
    tmp_path: Path, data: dict, mutate: Mutator, path: str, message: str
) -> None:
    write_yaml(tmp_path / "a.yaml", data)
    mirror = _mirror(data)
    mutate(mirror)
    file = write_yaml(tmp_path / "b.yaml", mirror)
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    assert f"{file}: {path}: {message}" in str(caught.value)


def test_load_directory_collects_problems_of_every_file(tmp_path: Path, data: dict) -> None:
    bad = write_yaml(tmp_path / "a.yaml", dict(data, version=0))
    (tmp_path / "b.yaml").write_text("id: [\n", encoding="utf-8")
    dup1 = write_yaml(tmp_path / "c.yaml", data)
    dup2 = write_yaml(tmp_path / "d.yaml", data)
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path)
    rendered = str(caught.value)
    assert f"{bad}: version: Input should be greater than or equal to 1" in rendered
    assert f"{tmp_path / 'b.yaml'}: line 2, column 1: YAML syntax error" in rendered
    assert f"{dup2}: version: demo version 1 is also defined in {dup1}" in rendered


# --------------------------------------------------------------------------- shipped files


def test_shipped_questionnaires_load() -> None:
    """Every file in questionnaires/ loads, and the two instruments are there."""
    files = sorted(QUESTIONNAIRES.glob("*.yaml"))
    names = {f.name for f in files}
    assert {"leergang-woonconsulent.yaml", "beleidsscan.yaml"} <= names
    loaded = load_directory(QUESTIONNAIRES)  # raises DefinitionError listing every problem
    assert len(loaded) == len(files)
    for q in loaded:
        assert q.scale_ids(), f"{q.id} has no scales"
