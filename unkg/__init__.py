"""unkg: United Nations documents as a knowledge graph of institutional links."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["KnowledgeGraph", "__version__"]


def __getattr__(name: str):  # lazy: `import unkg` stays cheap for the CLI
    if name == "KnowledgeGraph":
        from unkg.api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(name)
