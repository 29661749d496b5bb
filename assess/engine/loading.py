"""Loading definitions: YAML with line numbers, schema messages for authors, whole folders."""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from assess.engine.items import (
    ITEM_TYPES,
    PATTERN_HELP,
    ChoiceItem,
    LikertItem,
    NumericItem,
    Option,
    Point,
    Section,
    SjtItem,
    SjtOption,
    TextItem,
)
from assess.engine.mirrors import check_mirror
from assess.engine.problems import DefinitionError, Loc, Problem, child_at, problem_at, suggest
from assess.engine.questionnaire import Band, Moment, Questionnaire, Scale, Subscale

# --------------------------------------------------------------------------- schema messages


def _clean_loc(loc: Sequence[str | int]) -> Loc:
    """Drop pydantic's union-tag and root steps so paths match the file."""
    out: list[str | int] = []
    for n, key in enumerate(loc):
        if key in ITEM_TYPES and n >= 2 and isinstance(loc[n - 1], int) and loc[n - 2] == "items":
            continue
        if key == "[key]":
            continue
        out.append(key)
    return tuple(out)


def _schema_message(error: Mapping[str, Any], data: object) -> str:
    """Pydantic's message, rephrased where an author needs more to act on it."""
    kind = error["type"]
    loc = error["loc"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(data, loc)
        hint = suggest(str(loc[-1]), allowed) if allowed else ""
        return f"unknown field '{loc[-1]}'{hint}"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "union_tag_invalid":
        tag = (error.get("ctx") or {}).get("tag")
        return f"unknown item type {tag!r}; use one of {', '.join(ITEM_TYPES)}"
    if kind == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    if kind == "union_tag_not_found":
        return f"missing field 'type' (one of {', '.join(ITEM_TYPES)})"
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        return f"{value!r} is not a valid id: {PATTERN_HELP.get(pattern, 'must match ' + pattern)}"
    if kind == "literal_error" and loc and loc[-1] == "[key]":
        return f"unknown language {value!r}; use nl or en"
    message = str(error["msg"])
    if kind == "string_type" and isinstance(value, bool | int | float):
        message += f" (YAML read {value!r} as a {type(value).__name__}; put it in quotes)"
    elif kind.endswith("_type") and value is not None and not isinstance(value, dict | list):
        message += f", got {value!r}"
    return message


def _allowed_fields(data: object, loc: Sequence[str | int]) -> list[str]:
    """The field names allowed where an unknown field was found, for a did-you-mean hint."""
    model = _model_at(_clean_loc(loc[:-1]), data)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "likert": LikertItem,
    "choice": ChoiceItem,
    "numeric": NumericItem,
    "sjt": SjtItem,
    "text": TextItem,
}
_LIST_MODELS: dict[str, type[BaseModel]] = {
    "sections": Section,
    "scales": Scale,
    "subscales": Subscale,
    "bands": Band,
}


def _model_at(loc: Loc, data: object) -> type[BaseModel] | None:
    """The model class that validates the object at `loc` in raw data."""
    if not loc:
        return Questionnaire
    if len(loc) == 2 and loc[0] == "moments":
        return Moment
    if len(loc) == 3 and loc[0] == "point_sets":
        return Point
    if not isinstance(loc[-1], int) or len(loc) < 2:
        return None
    container = loc[-2]
    if container == "items" and loc[0] == "sections" and len(loc) == 4:
        node = _at(data, loc)
        kind = node.get("type") if isinstance(node, Mapping) else None
        return _ITEM_MODELS.get(str(kind))
    if container == "options":
        item = _at(data, loc[:-2])
        kind = item.get("type") if isinstance(item, Mapping) else None
        return SjtOption if kind == "sjt" else Option
    return _LIST_MODELS.get(str(container))


def _at(root: object, loc: Loc) -> object:
    node = root
    for key in loc:
        node = child_at(node, key)
    return node


# --------------------------------------------------------------------------- YAML


class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys instead of silently keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key!r} (first on line {seen[key] + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark.line
            except TypeError:
                continue  # unhashable key: the schema reports it
        return super().construct_mapping(node, deep=deep)


def _node_lines(node: yaml.Node | None, loc: Loc, lines: dict[Loc, int]) -> None:
    """Record the 1-based line of every key and list element, by its path."""
    if node is None:
        return
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = (*loc, key_node.value)
                lines[child] = key_node.start_mark.line + 1
                _node_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for k, value_node in enumerate(node.value):
            _node_lines(value_node, (*loc, k), lines)


def _read_yaml(source: str, file: str) -> tuple[object, dict[Loc, int]]:
    """Parse YAML text into data and a path -> line map; syntax errors as DefinitionError."""
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(YAML)"
        what = ": ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        raise DefinitionError(file, [Problem(where, f"YAML syntax error: {what}")]) from exc
    except yaml.YAMLError as exc:
        raise DefinitionError(file, [Problem("(YAML)", f"YAML error: {exc}")]) from exc
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    _node_lines(node, (), lines)
    return data, lines


# --------------------------------------------------------------------------- loading


def parse_questionnaire(
    data: object, file: str = "<data>", lines: Mapping[Loc, int] | None = None
) -> Questionnaire:
    """Validate parsed data (schema, then cross-checks); DefinitionError lists all problems."""
    lines = lines or {}
    if not isinstance(data, Mapping):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise DefinitionError(file, [Problem("(top)", f"expected a mapping, got {got}", 1)])
    try:
        return Questionnaire.model_validate(
            data, context={"file": file, "data": data, "lines": lines}
        )
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _clean_loc(error["loc"])
            problems.append(problem_at(loc, _schema_message(error, data), data, lines))
        raise DefinitionError(file, problems) from None


def load_questionnaire(path: str | os.PathLike[str]) -> Questionnaire:
    """Read and validate one questionnaire file."""
    file = str(path)
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(file, [Problem("(file)", f"cannot read: {exc}")]) from exc
    data, lines = _read_yaml(source, file)
    return parse_questionnaire(data, file, lines)


def load_directory(path: str | os.PathLike[str]) -> list[Questionnaire]:
    """Load every *.yaml in a folder (sorted by name) and check mirrors across files."""
    problems: list[Problem] = []
    loaded: list[tuple[str, Questionnaire]] = []
    for found in sorted(Path(path).glob("*.yaml")):
        try:
            loaded.append((str(found), load_questionnaire(found)))
        except DefinitionError as exc:
            problems.extend(_with_file(p, exc.file) for p in exc.problems)
    seen: dict[tuple[str, int], str] = {}
    for file, q in loaded:
        key = (q.id, q.version)
        if key in seen:
            problems.append(
                Problem(
                    "version",
                    f"{q.id} version {q.version} is also defined in {seen[key]}",
                    None,
                    file,
                )
            )
        seen.setdefault(key, file)
    for file, q in loaded:
        if q.mirrors is None:
            continue
        targets = [t for _, t in loaded if t.id == q.mirrors]
        if not targets:
            problems.append(
                Problem("mirrors", f"no questionnaire with id '{q.mirrors}' in {path}", None, file)
            )
            continue
        wanted = [t for t in targets if t.version == q.mirrors_version]
        if q.mirrors_version is not None and not wanted:
            problems.append(
                Problem(
                    "mirrors_version",
                    f"no version {q.mirrors_version} of '{q.mirrors}' in {path}",
                    None,
                    file,
                )
            )
            continue
        target = wanted[0] if wanted else max(targets, key=lambda t: t.version)
        problems.extend(_with_file(p, file) for p in check_mirror(q, target))
    if problems:
        raise DefinitionError(str(path), problems)
    return [q for _, q in loaded]


def _with_file(problem: Problem, file: str) -> Problem:
    return Problem(problem.path, problem.message, problem.line, problem.file or file)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a questionnaire file, for editors' YAML plugins."""
    schema = Questionnaire.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
