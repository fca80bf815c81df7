"""A name -> object registry whose unknown-name error lists the valid names."""

from __future__ import annotations

from typing import Generic, Iterator, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Objects registered by name, e.g. ``ACTIVATIONS.get("relu")``.

    ``kind`` names what is registered ("activation", "loss", ...) so that an
    unknown name gives ``ValueError: unknown activation 'rleu'; expected one
    of: identity, logistic, ...``.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}
        self._aliases: dict[str, str] = {}

    def register(self, name: str, item: T) -> T:
        if name in self._items or name in self._aliases:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._items[name] = item
        return item

    def alias(self, alias: str, name: str) -> None:
        """Let ``alias`` find the item registered as ``name``."""
        self._aliases[alias] = name

    def get(self, name: str) -> T:
        if not isinstance(name, str):
            raise ValueError(
                f"{self.kind} must be a name given as a string, got {name!r}; "
                f"expected one of: {', '.join(self.names())}"
            )
        key = self._aliases.get(name, name)
        try:
            return self._items[key]
        except KeyError:
            raise ValueError(
                f"unknown {self.kind} {name!r}; expected one of: {', '.join(self.names())}"
            ) from None

    def canonical(self, name: str) -> str:
        """The registered name for ``name`` or one of its aliases."""
        self.get(name)
        return self._aliases.get(name, name)

    def names(self) -> list[str]:
        return list(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items or name in self._aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)
