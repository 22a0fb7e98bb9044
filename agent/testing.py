"""The pytest plugin's documented name: `pytest_plugins = ["agent.testing"]`.

It lives in `agent.fixtures.pytest_plugin`; this name stays so users' conftest files keep working.
"""

from agent.fixtures.pytest_plugin import *  # noqa: F403
from agent.fixtures.pytest_plugin import __all__ as __all__
