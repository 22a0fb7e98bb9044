"""khabar on Ray Data: `KhabarStage` for a user's own pipeline, `run_ray_batch` for the CLI.

Needs the `ray` extra (`pip install 'khabar[ray]'`); importing this package does not import Ray.
"""

from agent.ray.stage import KhabarStage

__all__ = ["KhabarStage"]
