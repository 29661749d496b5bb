# Just enough of PyYAML's types for assess.engine.loading: PyYAML ships none, and the engine
# subclasses its SafeLoader, which strict mypy refuses to do for an untyped (Any) class.
# Extend this stub when the code uses more of PyYAML.
from typing import Any

from yaml import constructor as constructor

class Mark:
    name: str
    index: int
    line: int
    column: int

class YAMLError(Exception): ...

class MarkedYAMLError(YAMLError):
    context: str | None
    context_mark: Mark | None
    problem: str | None
    problem_mark: Mark | None
    note: str | None
    def __init__(
        self,
        context: str | None = None,
        context_mark: Mark | None = None,
        problem: str | None = None,
        problem_mark: Mark | None = None,
        note: str | None = None,
    ) -> None: ...

class Node:
    tag: str
    value: object
    start_mark: Mark
    end_mark: Mark

class ScalarNode(Node):
    value: str

class SequenceNode(Node):
    value: list[Node]

class MappingNode(Node):
    value: list[tuple[Node, Node]]

class SafeLoader:
    def __init__(self, stream: str | bytes) -> None: ...
    def get_single_node(self) -> Node | None: ...
    def construct_document(self, node: Node) -> object: ...
    def construct_object(self, node: Node, deep: bool = False) -> object: ...
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[object, object]: ...
    def dispose(self) -> None: ...

# The rest of PyYAML, not described here.
def __getattr__(name: str) -> Any: ...
