"""Strict loader for the YAML prompt templates under prompts/.

A prompt file holds `name`, `description`, `system` and `user` (str.format templates with {placeholders})
and, optionally, `variables: [...]`. Mistakes fail loudly, naming the file and the variable: a missing
file or key, a template field the caller did not pass, a value the template never uses, and a declared
variable the templates do not use (or a used one that is not declared). A prompt that silently renders
"{brief}" or drops the schema is worse than one that does not render.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import PromptError

REQUIRED_KEYS = ("name", "description", "system", "user")
_TEMPLATE_KEYS = ("system", "user")


def template_fields(template: str, where: str) -> set[str]:
    """The placeholder names in a str.format template. Positional, attribute and index fields are refused."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:  # e.g. a lone "{" or "}"
        raise PromptError(f"{where}: malformed template ({e}); write a literal brace as {{{{ or }}}}.") from e
    names: set[str] = set()
    for _, field, _, _ in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            raise PromptError(
                f"{where}: placeholder {{{field}}} is not a plain name; use {{name}} "
                "(positional, attribute and index fields are not allowed)."
            )
        names.add(field)
    return names


@dataclass(frozen=True)
class Prompt:
    name: str
    description: str
    system: str
    user: str
    variables: frozenset[str]
    path: Path

    def render(self, **values: Any) -> list[dict[str, str]]:
        """The chat messages, with every placeholder filled. Values are inserted as text, never re-parsed."""
        given = set(values)
        missing = sorted(self.variables - given)
        unknown = sorted(given - self.variables)
        if missing:
            raise PromptError(f"{self.path}: missing variable(s) {', '.join(missing)} for prompt {self.name!r}.")
        if unknown:
            raise PromptError(
                f"{self.path}: unknown variable(s) {', '.join(unknown)} for prompt {self.name!r}; "
                f"it takes {', '.join(sorted(self.variables)) or 'none'}."
            )
        text = {k: _as_text(v) for k, v in values.items()}
        return [
            {"role": "system", "content": self.system.format(**text).strip()},
            {"role": "user", "content": self.user.format(**text).strip()},
        ]


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def parse_prompt(path: Path) -> Prompt:
    """Read and check one prompt file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise PromptError(f"Prompt file {path} does not exist (check KICKOFF_PROMPTS_DIR).") from e
    except yaml.YAMLError as e:
        raise PromptError(f"{path}: not valid YAML ({e}).") from e
    if not isinstance(raw, dict):
        raise PromptError(f"{path}: expected a mapping with keys {', '.join(REQUIRED_KEYS)}.")
    for key in REQUIRED_KEYS:
        if key not in raw:
            raise PromptError(f"{path}: missing key {key!r}.")
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise PromptError(f"{path}: key {key!r} must be a non-empty string.")
    extra = set(raw) - set(REQUIRED_KEYS) - {"variables"}
    if extra:
        raise PromptError(f"{path}: unknown key(s) {', '.join(sorted(extra))}.")
    if raw["name"] != path.stem:
        raise PromptError(f"{path}: name {raw['name']!r} does not match the file name {path.stem!r}.")

    used: set[str] = set()
    for key in _TEMPLATE_KEYS:
        used |= template_fields(raw[key], f"{path} ({key})")

    if "variables" in raw:
        declared_raw = raw["variables"]
        if not isinstance(declared_raw, list) or not all(isinstance(v, str) for v in declared_raw):
            raise PromptError(f"{path}: 'variables' must be a list of names.")
        declared = set(declared_raw)
        if len(declared) != len(declared_raw):
            raise PromptError(f"{path}: 'variables' lists a name twice.")
        unused = sorted(declared - used)
        undeclared = sorted(used - declared)
        if unused:
            raise PromptError(f"{path}: declared variable(s) {', '.join(unused)} not used in system or user.")
        if undeclared:
            raise PromptError(f"{path}: template uses undeclared variable(s) {', '.join(undeclared)}.")

    return Prompt(
        name=raw["name"],
        description=raw["description"].strip(),
        system=raw["system"],
        user=raw["user"],
        variables=frozenset(used),
        path=path,
    )


@lru_cache(maxsize=64)
def _load_cached(path: Path, mtime_ns: int) -> Prompt:
    return parse_prompt(path)


def load_prompt(name: str, prompts_dir: Path | None = None) -> Prompt:
    """Load prompts/<name>.yaml (from Settings.prompts_dir unless a directory is given)."""
    if not name.replace("_", "").replace("-", "").isalnum():
        raise PromptError(f"Prompt name {name!r} is not a plain file name.")
    if prompts_dir is None:
        from assistant.config import get_settings

        prompts_dir = get_settings().prompts_dir
    path = Path(prompts_dir) / f"{name}.yaml"
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError as e:
        raise PromptError(f"Prompt file {path} does not exist (check KICKOFF_PROMPTS_DIR).") from e
    return _load_cached(path.resolve(), mtime)
