"""Problems in a definition file: where they are (path, YAML line) and how they read."""

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, RootModel

Loc = tuple[str | int, ...]
"""A location inside a file: keys and list indexes from the top."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a definition file: where (path inside the file) and what."""

    path: str
    message: str
    line: int | None = None
    file: str | None = None

    def render(self, file: str) -> str:
        """Format as `FILE: PATH: MESSAGE`, with the YAML line when known."""
        where = f" (line {self.line})" if self.line is not None else ""
        return f"{self.file or file}: {self.path or '(top)'}: {self.message}{where}"


class DefinitionError(Exception):
    """A questionnaire file that cannot be used; lists every problem found."""

    def __init__(self, file: str | os.PathLike[str], problems: Sequence[Problem]) -> None:
        self.file = str(file)
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(p.render(self.file) for p in self.problems)


# lists whose elements are named by their id in paths ("use ids where you can")
_ID_LISTS = {"scales", "subscales", "bands"}


def child_at(node: object, key: str | int) -> object:
    """One step down a raw-data or model tree; None when the step does not exist."""
    if isinstance(node, RootModel):
        node = node.root
    if isinstance(key, int):
        return node[key] if isinstance(node, list) and 0 <= key < len(node) else None
    if isinstance(node, Mapping):
        return node.get(key)
    if isinstance(node, BaseModel):
        name = "from_" if key == "from" else key
        return getattr(node, name, None) if name in type(node).model_fields else None
    return None


def _element_id(node: object) -> str | None:
    ident = node.get("id") if isinstance(node, Mapping) else getattr(node, "id", None)
    if isinstance(ident, str) and ident and all(c.isalnum() or c == "_" for c in ident):
        return ident
    return None


def format_loc(loc: Loc, root: object) -> str:
    """Render a location like `scales.nee_zeggen.subscales.grenzen.items[3]` (ids where known)."""
    out = ""
    node: object = root
    parent_key: str | int | None = None
    for key in loc:
        child = child_at(node, key) if node is not None else None
        if isinstance(key, int):
            ident = _element_id(child) if parent_key in _ID_LISTS else None
            out += f".{ident}" if ident else f"[{key}]"
        else:
            out += f".{key}" if out else key
        node, parent_key = child, key
    return out


def _line_for(loc: Loc, lines: Mapping[Loc, int]) -> int | None:
    # the deepest known prefix: a missing key is reported at its parent's line
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def problem_at(loc: Loc, message: str, root: object, lines: Mapping[Loc, int]) -> Problem:
    """A Problem at `loc`: its path named from `root`, its line looked up in `lines`."""
    return Problem(format_loc(loc, root), message, _line_for(loc, lines))


def suggest(word: str, choices: Mapping[str, object] | Sequence[str]) -> str:
    """A "did you mean" hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
