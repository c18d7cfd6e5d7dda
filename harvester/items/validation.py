"""Checking a record against its JSON Schema: `problems()` says how it breaks the contract.

Every record is checked by the schema compiled to Python once (fastjsonschema, ~15× faster than
walking the schema for each record); only a record it does not pass is walked by `jsonschema`, the
reference, which decides and words the reasons. The compiled check is at least as strict as the
reference (`$` anchors only at the very end, arrays are lists only), so a record it passes, the
reference passes too: the outcome is the reference's whatever the compiled check says.
"""

from collections.abc import Callable
from functools import cache

import fastjsonschema
from jsonschema import Draft202012Validator

from harvester.items import schema_for


@cache
def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema_for(kind))


# Keywords whose compiled check was compared with the reference's; a schema with any other
# keyword (one the compiled check might ignore) is left to the reference alone.
COMPARED = frozenset({"$schema", "$id", "title", "description", "type", "properties", "required",
                      "additionalProperties", "items", "enum", "pattern", "minLength", "minimum",
                      "minItems", "uniqueItems"})


def only_compared(schema: dict) -> bool:
    if not isinstance(schema, dict) or not COMPARED.issuperset(schema):
        return False
    inner = [*schema.get("properties", {}).values()]
    for keyword in ("items", "additionalProperties"):
        if isinstance(schema.get(keyword), dict):
            inner.append(schema[keyword])
        elif keyword in schema and not isinstance(schema[keyword], bool):
            return False
    return all(only_compared(part) for part in inner)


@cache
def compiled(kind: str) -> Callable[[dict], object] | None:
    """The schema as a Python function that raises on a record it does not pass (None when the
    schema has a keyword not compared with the reference)."""
    if not only_compared(schema_for(kind)):
        return None
    code = fastjsonschema.compile_to_code(schema_for(kind), use_default=False,
                                          use_formats=False, detailed_exceptions=False)
    # The reference takes only a list for an array, never a tuple (an array that may be null
    # is checked as `(list, tuple, NoneType)`).
    code = code.replace("(list, tuple)", "(list,)").replace("(list, tuple, ", "(list, ")
    namespace: dict = {}
    exec(compile(code, f"<{kind} schema>", "exec"), namespace)  # code generated from our schema
    return next(f for name, f in namespace.items() if name.startswith("validate_"))


def passes(record: dict, kind: str) -> bool:
    """Whether the compiled check passes the record (False sends it to the reference)."""
    check = compiled(kind)
    if check is None:
        return False
    try:
        check(record)
    except Exception:  # a failed check, or a value the generated code cannot handle
        return False
    return True


def problems(record: dict, kind: str) -> list[tuple[str | None, str]]:
    """(field, message) for each way the record breaks its schema, most basic first."""
    if passes(record, kind):
        return []
    errors = sorted(validator(kind).iter_errors(record), key=lambda e: list(e.path))
    return [(str(e.path[0]) if e.path else None, e.message) for e in errors]
